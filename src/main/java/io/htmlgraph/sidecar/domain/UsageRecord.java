package io.htmlgraph.sidecar.domain;

import java.time.Instant;

/**
 * One API request's usage (or one API error) as a source reported it.
 *
 * @param key        the dedupe key: the request id when known (telemetry {@code request_id} = transcript
 *                   {@code requestId}), so the same request reported twice is one record
 * @param error      true for {@code api_error}: no tokens, counted as an error on the turn
 * @param source     {@code telemetry} or {@code transcript}
 * @param costSource where {@link #costUsd} comes from: {@code telemetry}, {@code transcript} or {@code computed}
 *                   (from the price table); null when no cost is known
 * @param agentKey   Claude's {@code agent_id} for a subagent's request, {@code ""} for the main agent
 * @param agentName  the agent's display name ({@code claude-code}, the subagent's type, {@code codex} …)
 * @param featureId  the feature the request was made for, when the source says so
 */
public record UsageRecord(String key,
                          boolean error,
                          String source,
                          String costSource,
                          String sessionId,
                          String promptId,
                          String agentKey,
                          String agentName,
                          String querySource,
                          String model,
                          String requestId,
                          long inputTokens,
                          long outputTokens,
                          long cacheReadTokens,
                          long cacheCreationTokens,
                          Double costUsd,
                          Long durationMs,
                          String errorText,
                          Instant at,
                          String featureId) implements UsageItem {

    /** All tokens of the request. */
    public long totalTokens() {
        return inputTokens + outputTokens + cacheReadTokens + cacheCreationTokens;
    }

    /** The key of a request known by its id: telemetry's {@code request_id} and a transcript's {@code requestId}. */
    public static String requestKey(String requestId) {
        return "req:" + requestId;
    }

    /** How much a source is trusted for the same request: telemetry over transcript. */
    public static int rank(String source) {
        return "telemetry".equals(source) ? 2 : "transcript".equals(source) ? 1 : 0;
    }
}
