package io.htmlgraph.sidecar.domain;

/**
 * An event row as the API shows it: htmlgraph's fields first ({@code event_id} … {@code model}), then ours.
 * Durations are end − start of finished work, null while it runs; {@code cost_tokens} is null until a token
 * source (telemetry, transcript, spawner report) has given figures; {@code usage} has them by kind, with the
 * source of the cost. A turn row counts its main agent's API requests, a delegation its subagent's.
 */
public record EventView(String eventId,
                        String agentId,
                        String eventType,
                        String timestamp,
                        String toolName,
                        String inputSummary,
                        String outputSummary,
                        String sessionId,
                        String parentEventId,
                        String status,
                        String model,
                        long sequence,
                        String hookEventName,
                        String agentType,
                        String toolUseId,
                        String promptId,
                        String subagentType,
                        String spawnerType,
                        String endedAt,
                        Double executionDurationSeconds,
                        Long costTokens,
                        Double costUsd,
                        String featureId,
                        String source,
                        Usage usage,
                        Long apiErrors) {
}
