package io.htmlgraph.sidecar.domain;

/**
 * An event as a node of a turn's or delegation's tree: what the feeds show, without payloads. {@code usage} is the
 * row's own figure (a turn: its main agent's API requests; a delegation: its subagent's; a spawner run: its report).
 */
public record TreeRow(String eventId,
                      String parentEventId,
                      String sessionId,
                      String agentId,
                      String eventType,
                      String hookEventName,
                      String toolName,
                      String timestamp,
                      String inputSummary,
                      String outputSummary,
                      String status,
                      String model,
                      Double durationSeconds,
                      String subagentType,
                      String spawnerType,
                      int depth,
                      Usage usage,
                      Long apiErrors,
                      String featureId) {
}
