package io.htmlgraph.sidecar.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.htmlgraph.sidecar.TestSidecar;

/** The Grafana dashboards in {@code grafana/dashboards}, their panels and the metric names their queries use. */
final class Dashboards {
    static final Path DIR = Path.of("grafana", "dashboards");
    private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}|\\[[^]]*]");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern NUMBERS = Pattern.compile("(?<![a-zA-Z_:])\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\s*\\()?");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset");

    private Dashboards() {
    }

    /** One query of one panel. */
    record Query(String dashboard, String panel, String expr, JsonNode datasource) {
        /** The query as Prometheus runs it once Grafana has put in its variables. */
        String resolved() {
            return expr.replace("$instance", ".*").replace("$__rate_interval", "1m");
        }
    }

    static List<Path> files() {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode read(Path file) {
        try {
            return TestSidecar.JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every non-row panel's queries (a panel without a query gives one with an empty expression). */
    static List<Query> queries() {
        List<Query> queries = new ArrayList<>();
        for (Path file : files()) {
            JsonNode dashboard = read(file);
            for (JsonNode panel : panels(dashboard.path("panels"))) {
                String name = dashboard.path("uid").asText() + " / " + panel.path("title").asText();
                if (panel.path("targets").isEmpty()) {
                    queries.add(new Query(dashboard.path("uid").asText(), name, "", panel.path("datasource")));
                }
                for (JsonNode target : panel.path("targets")) {
                    queries.add(new Query(dashboard.path("uid").asText(), name, target.path("expr").asText(),
                                          target.path("datasource")));
                }
            }
        }
        return queries;
    }

    private static List<JsonNode> panels(JsonNode panels) {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode panel : panels) {
            if (panel.path("type").asText().equals("row")) {
                all.addAll(panels(panel.path("panels")));
            } else {
                all.add(panel);
            }
        }
        return all;
    }

    /** The metric names a PromQL expression selects (functions, keywords, labels and numbers left out). */
    static Set<String> metricNames(String expr) {
        String bare = STRINGS.matcher(expr).replaceAll("");
        bare = MATCHERS.matcher(bare).replaceAll(" ");
        bare = GROUPING.matcher(bare).replaceAll(" ");
        bare = NUMBERS.matcher(bare).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher m = NAME.matcher(bare);
        while (m.find()) {
            if (m.group(1) == null && !KEYWORDS.contains(m.group())) {
                names.add(m.group());
            }
        }
        return names;
    }
}
