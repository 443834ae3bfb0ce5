package io.htmlgraph.sidecar.domain;

/** One delegation from one agent to another ({@code agent_collaboration}), once per delegation. */
public record Delegation(String eventId, String fromAgent, String toAgent, String timestamp, String sessionId,
                         String status, String task) {
}
