package io.htmlgraph.sidecar.domain;

import java.util.List;

/**
 * The dashboard header's counts ({@code GET /api/initial-stats}), with all tokens and cost reported so far
 * ({@code total_tokens}, {@code total_cost_usd}; {@code usage} by kind).
 */
public record InitialStats(long totalEvents, long totalAgents, long totalSessions, List<String> agents,
                           Long totalTokens, Double totalCostUsd, Usage usage) {
}
