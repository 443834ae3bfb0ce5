package io.htmlgraph.sidecar.domain;

/** An event as a node of a turn's or delegation's tree: what the feeds show, without payloads. */
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
                      int depth) {
}
