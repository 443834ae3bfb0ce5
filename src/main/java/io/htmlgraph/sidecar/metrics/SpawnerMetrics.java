package io.htmlgraph.sidecar.metrics;

import java.util.List;
import java.util.function.Supplier;

import io.prometheus.metrics.model.snapshots.Labels;

/**
 * Spawner families (headless gemini, codex, copilot … runs), the figures of {@code /api/spawner-statistics}:
 * <pre>
 * htmlgraph_spawner_delegations{spawner_type="gemini"} 2.0
 * htmlgraph_spawner_successes{spawner_type="gemini"} 2.0
 * htmlgraph_spawner_success_ratio{spawner_type="gemini"} 1.0
 * htmlgraph_spawner_average_duration_seconds{spawner_type="gemini"} 30.0
 * htmlgraph_spawner_tokens{spawner_type="gemini"} 62000.0
 * htmlgraph_spawner_cost_usd{spawner_type="gemini"} 0.093
 * </pre>
 */
final class SpawnerMetrics extends SnapshotFamilies {
    SpawnerMetrics(Supplier<Snapshot> latest) {
        super(latest);
    }

    @Override
    Gauges families(Snapshot s, Gauges gauges) {
        List<Snapshot.Spawner> spawners = s.spawners();
        return gauges
                .add("htmlgraph_spawner_delegations", "Runs delegated to each spawner type", spawners,
                     SpawnerMetrics::labels, Snapshot.Spawner::delegations)
                .add("htmlgraph_spawner_successes", "Spawner runs that succeeded", spawners, SpawnerMetrics::labels,
                     Snapshot.Spawner::successes)
                .add("htmlgraph_spawner_success_ratio", "Succeeded runs / all runs per spawner type (0..1)", spawners,
                     SpawnerMetrics::labels, p -> p.delegations() == 0 ? 0 : (double) p.successes() / p.delegations())
                .add("htmlgraph_spawner_average_duration_seconds", "Average duration of finished spawner runs",
                     spawners.stream().filter(p -> p.averageDurationSeconds() != null).toList(),
                     SpawnerMetrics::labels, Snapshot.Spawner::averageDurationSeconds)
                .add("htmlgraph_spawner_tokens", "Tokens the spawner runs reported", spawners, SpawnerMetrics::labels,
                     Snapshot.Spawner::tokens)
                .add("htmlgraph_spawner_cost_usd", "Cost the spawner runs reported in US dollars", spawners,
                     SpawnerMetrics::labels, Snapshot.Spawner::costUsd);
    }

    private static Labels labels(Snapshot.Spawner spawner) {
        return Labels.of("spawner_type", spawner.type());
    }
}
