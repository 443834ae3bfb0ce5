package io.htmlgraph.sidecar.domain;

import java.util.List;

/** One page of sessions with the total that matched ({@code GET /api/sessions}). */
public record SessionPage(long total, int limit, int offset, List<SessionView> sessions) {
}
