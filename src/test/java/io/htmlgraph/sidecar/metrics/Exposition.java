package io.htmlgraph.sidecar.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A scraped Prometheus text exposition: sample values by series, and the shape (type, labels) of each family. */
record Exposition(Map<String, Double> samples, Map<String, String> types, Map<String, TreeSet<String>> labels) {
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"(?:[^\"\\\\]|\\\\.)*\"");

    static Exposition parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        Map<String, String> types = new TreeMap<>();
        Map<String, TreeSet<String>> labels = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                types.put(parts[2], parts[3]);
            } else if (!line.isBlank() && !line.startsWith("#")) {
                Matcher m = SAMPLE.matcher(line);
                if (!m.matches()) {
                    throw new AssertionError("not a sample line: " + line);
                }
                samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(4)));
                TreeSet<String> names = labels.computeIfAbsent(m.group(1), n -> new TreeSet<>());
                if (m.group(3) != null) {
                    Matcher label = LABEL.matcher(m.group(3));
                    while (label.find()) {
                        names.add(label.group(1));
                    }
                }
            }
        }
        return new Exposition(samples, types, labels);
    }

    /** The value of one series, written as in the exposition, e.g. {@code htmlgraph_sessions{status="ended"}}. */
    double value(String series) {
        Double value = samples.get(series);
        if (value == null) {
            throw new AssertionError("no series " + series + " in the scrape");
        }
        return value;
    }

    /** The sum of all series of a family. */
    double sum(String family) {
        return samples.entrySet().stream()
                .filter(e -> e.getKey().equals(family) || e.getKey().startsWith(family + "{"))
                .mapToDouble(Map.Entry::getValue).sum();
    }
}
