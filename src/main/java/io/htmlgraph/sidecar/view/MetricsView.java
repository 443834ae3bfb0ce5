package io.htmlgraph.sidecar.view;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.htmlgraph.sidecar.query.MetricsQueries;
import io.htmlgraph.sidecar.query.ViewQueries;

/**
 * The Metrics tab, every figure from the store: events per minute over the last hour, events by hour over 24 h,
 * the latency of the newest {@value #LATENCY_SAMPLE} tool calls (whole minutes back) and their error rate, tokens by
 * type and cost by model. The activity and latency figures come from per-minute summary rows, so the tab costs the
 * same however busy the store is. Charts are SVG drawn here.
 */
final class MetricsView {
    static final int LATENCY_SAMPLE = 2000;
    private static final List<String> LATENCY = List.of("< 100 ms", "100–500 ms", "0.5–1 s", "1–5 s", "5–30 s",
            "≥ 30 s");
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH")
            .withZone(ZoneOffset.UTC);

    private MetricsView() {
    }

    record Model(Chart perMinute, Chart perHour, Chart latency, String errorRate, String sampled, String errors,
                 Chart tokens, Chart cost) {
    }

    static Model model(ViewQueries views, MetricsQueries metrics, Instant now) {
        Instant minute = now.truncatedTo(ChronoUnit.MINUTES);
        Instant hour = now.truncatedTo(ChronoUnit.HOURS);
        Chart perMinute = series("Events per minute, last hour", views.activity(minute.minus(59, ChronoUnit.MINUTES),
                true), minute, 60, ChronoUnit.MINUTES, MINUTE, 10);
        Chart perHour = series("Events per hour, last 24 hours", views.activity(hour.minus(23, ChronoUnit.HOURS),
                false), hour, 24, ChronoUnit.HOURS, HOUR, 6);
        ViewQueries.Latency latency = views.latency(LATENCY_SAMPLE);
        Chart latencyChart = Chart.of("Tool call duration, newest " + Fmt.count(latency.calls()) + " calls", LATENCY,
                latency.buckets().stream().map(Long::doubleValue).toList(), v -> Fmt.count(Math.round(v)), 1);
        Map<String, Double> tokens = new java.util.LinkedHashMap<>();
        Map<String, Double> cost = new TreeMap<>();
        for (MetricsQueries.Usage u : metrics.usage()) {
            tokens.merge("input", (double) u.input(), Double::sum);
            tokens.merge("output", (double) u.output(), Double::sum);
            tokens.merge("cache read", (double) u.cacheRead(), Double::sum);
            tokens.merge("cache creation", (double) u.cacheCreation(), Double::sum);
            tokens.merge("unspecified", (double) u.unspecified(), Double::sum);
            if (u.costUsd() > 0) {
                cost.merge(u.model(), u.costUsd(), Double::sum);
            }
        }
        Chart tokenChart = Chart.of("Tokens by type", new ArrayList<>(tokens.keySet()),
                new ArrayList<>(tokens.values()), v -> Fmt.count(Math.round(v)), 1);
        Chart costChart = Chart.of("Cost by model", new ArrayList<>(cost.keySet()), new ArrayList<>(cost.values()),
                Fmt::usd, 1);
        String rate = latency.calls() == 0 ? null : Fmt.percent((double) latency.errors() / latency.calls());
        return new Model(perMinute, perHour, latencyChart, rate, Fmt.count(latency.calls()),
                Fmt.count(latency.errors()), tokenChart, costChart);
    }

    private static Chart series(String title, List<ViewQueries.Bucket> buckets, Instant last, int n,
                                ChronoUnit unit, DateTimeFormatter key, int tickEvery) {
        Map<String, Long> counts = new HashMap<>();
        buckets.forEach(b -> counts.put(b.bucket(), b.events()));
        List<String> labels = new ArrayList<>(n);
        List<Double> values = new ArrayList<>(n);
        for (int i = n - 1; i >= 0; i--) {
            String k = key.format(last.minus(i, unit));
            labels.add(k.substring(11) + (unit == ChronoUnit.HOURS ? ":00" : "") + " UTC");
            values.add((double) counts.getOrDefault(k, 0L));
        }
        return Chart.of(title, labels, values, v -> Fmt.count(Math.round(v)), tickEvery);
    }
}
