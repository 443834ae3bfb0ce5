package io.htmlgraph.sidecar.domain;

/**
 * Totals of one spawner type ({@code /api/spawner-statistics}); success counts {@code success} and
 * {@code completed}; {@code success_rate} is a percentage of the runs; durations are of finished runs.
 */
public record SpawnerStatistics(String spawnerType, long totalDelegations, long successful, long failed,
                                double successRate, Double avgDuration, long totalTokens, double totalCost,
                                String firstUsed, String lastUsed) {
}
