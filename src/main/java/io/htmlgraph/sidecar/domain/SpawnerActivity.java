package io.htmlgraph.sidecar.domain;

import java.util.List;

/** One spawner run as {@code /api/spawner-activities} shows it (htmlgraph's fields). */
public record SpawnerActivity(String eventId, String orchestratorAgent, String spawnerType, String spawnedAgent,
                              String toolName, String task, String result, String status, Double duration,
                              Long tokens, Double costUsd, List<String> artifacts, String timestamp,
                              String createdAt) {
}
