package io.htmlgraph.sidecar.domain;

/**
 * One day (UTC) of {@code GET /api/daily}: what the events of that day added up to, from the events still stored
 * and the roll-ups of those retention pruned.
 */
public record DailyTotals(String day, long events, long errors, long toolCalls, long inputTokens, long outputTokens,
                          long cacheReadTokens, long cacheCreationTokens, long unspecifiedTokens, long totalTokens,
                          double costUsd) {
}
