package io.htmlgraph.sidecar.domain;

import java.util.List;

/** The dashboard header's counts ({@code GET /api/initial-stats}). */
public record InitialStats(long totalEvents, long totalAgents, long totalSessions, List<String> agents) {
}
