package io.htmlgraph.sidecar.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.htmlgraph.sidecar.query.MetricsQueries.SessionCounts;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** The whole exposition of the store families for a fixed snapshot, against a golden text. */
class SnapshotExpositionTest {
    private static final Path GOLDEN = Path.of("src/test/resources/metrics/snapshot-exposition.txt");

    @Test
    void storeFamilies_renderTheSnapshot() throws IOException {
        Snapshot.Tokens tokens = new Snapshot.Tokens(700, 300, 5000, 0, 400);
        Snapshot snapshot = new Snapshot(3, 1, 1,
                List.of(new Snapshot.Agent("claude-code", 80, 2, 4, Instant.parse("2026-11-27T04:00:00Z"),
                                           Snapshot.Tokens.NONE, 0, 0.8),
                        new Snapshot.Agent("other", 20, 0, 3, null, tokens, 0.25, 0.2)),
                List.of(new Snapshot.Spawner("gemini", 4, 3, 4, 122.0, 6400, 0.25)),
                List.of(new Snapshot.Model("gemini-2.5-pro", tokens, 0.25)),
                List.of(new Snapshot.Tool("Bash", 3, 1200.4, 0.0125)),
                new SessionCounts(1, 2, 3), Map.of("done", 2L), Map.of("tool_call", 90L, "start", 10L),
                Map.of("completed", 7L, "interrupted", 2L));
        AtomicReference<Snapshot> latest = new AtomicReference<>();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.getPrometheusRegistry().register(new AgentMetrics(latest::get));
        registry.getPrometheusRegistry().register(new SpawnerMetrics(latest::get));
        registry.getPrometheusRegistry().register(new StoreMetrics(latest::get));
        assertThat("nothing before the first refresh", registry.scrape(), is(""));
        latest.set(snapshot);
        assertThat(registry.scrape(), is(Files.readString(GOLDEN, StandardCharsets.UTF_8)));
    }
}
