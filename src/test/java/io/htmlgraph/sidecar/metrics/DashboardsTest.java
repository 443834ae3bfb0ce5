package io.htmlgraph.sidecar.metrics;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.htmlgraph.sidecar.TestSidecar;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

/** The shipped Grafana dashboards and alert rules only query what the exporter produces. */
class DashboardsTest {
    /** Series Prometheus itself adds to every scrape target. */
    private static final Set<String> FROM_PROMETHEUS = Set.of("up", "scrape_duration_seconds",
            "scrape_samples_scraped", "scrape_samples_post_metric_relabeling", "scrape_series_added");

    @Test
    void everyQueryAndAlert_namesOnlyMetricsTheExporterProduces() throws IOException {
        Set<String> produced = new HashSet<>(FROM_PROMETHEUS);
        try (TestSidecar sidecar = TestSidecar.start(Map.of("demo", "true"))) {
            sidecar.get("/api/events"); // Helidon's request meters appear with the first request
            String scrape = sidecar.scrapeUntil("http_server_request_duration_seconds");
            Exposition.parse(scrape).types().forEach((family, type) -> {
                produced.add(family);
                if (type.equals("histogram") || type.equals("summary")) {
                    produced.addAll(List.of(family + "_bucket", family + "_count", family + "_sum"));
                }
            });
        }
        Map<String, String> exprs = new LinkedHashMap<>();
        Dashboards.queries().forEach(query -> exprs.put(query.panel() + " " + exprs.size(), query.expr()));
        alertRules().forEach(rule -> exprs.put("alert " + rule.get("alert"), (String) rule.get("expr")));
        List<String> unknown = new ArrayList<>();
        exprs.forEach((where, expr) -> {
            Set<String> names = Dashboards.metricNames(expr);
            if (names.isEmpty()) {
                unknown.add(where + ": no metric in '" + expr + "'");
            }
            names.stream().filter(name -> !produced.contains(name)).forEach(name -> unknown.add(where + ": " + name));
        });
        assertThat(unknown, is(empty()));
        assertThat(alertRules().size(), is(7));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> alertRules() throws IOException {
        try (Reader reader = Files.newBufferedReader(Path.of("deploy/prometheus/alerts.yml"))) {
            Map<String, Object> file = new Yaml().load(reader);
            List<Map<String, Object>> rules = new ArrayList<>();
            for (Object group : (List<Object>) file.get("groups")) {
                rules.addAll((List<Map<String, Object>>) ((Map<String, Object>) group).get("rules"));
            }
            return rules;
        }
    }

    @Test
    void everyPanel_queriesTheProvisionedDatasource_andFiltersBySidecar() {
        List<Dashboards.Query> queries = Dashboards.queries();
        assertThat(queries.size(), greaterThan(40));
        for (Dashboards.Query query : queries) {
            assertThat(query.panel(), query.datasource().path("uid").asText(), is("prometheus"));
            assertThat(query.panel(), query.expr(), containsString("instance=~\"$instance\""));
        }
        Set<String> uids = new HashSet<>();
        for (Path file : Dashboards.files()) {
            JsonNode dashboard = Dashboards.read(file);
            assertThat(file + " has a unique uid", uids.add(dashboard.path("uid").asText()), is(true));
        }
        assertThat(uids, is(Set.of("htmlgraph-fleet", "htmlgraph-tokens-cost", "htmlgraph-spawners",
                                   "htmlgraph-sidecar-health")));
    }

    @Test
    void metricNames_areFoundInsidePromql() {
        assertThat(Dashboards.metricNames("histogram_quantile(0.99, sum by (le) (rate(a_bucket{x=~\"$y\"}[5m])))"
                                          + " / clamp_min(b_total, 1e-9) and on (instance) c"),
                   is(Set.of("a_bucket", "b_total", "c")));
    }
}
