package io.htmlgraph.sidecar.domain;

import java.util.List;

/** What needs a human ({@code GET /api/attention}): agents waiting, agents failing repeatedly, idle sessions. */
public record Attention(String timestamp, List<Waiting> waiting, List<Failing> failing, List<Idle> idle) {

    /** An agent waiting for permission or input since a time. */
    public record Waiting(String sessionId, String agentId, String subagentId, String since, String reason,
                          String message) {
    }

    /** An agent with several failed tool calls in the recent window. */
    public record Failing(String sessionId, String agentId, long errors, String lastErrorAt, String lastError) {
    }

    /** An active session with no event for the idle time. */
    public record Idle(String sessionId, String agent, String lastEventAt) {
    }
}
