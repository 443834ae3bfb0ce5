package io.htmlgraph.sidecar.domain;

/** An agent's presence row: {@code active} until its subagent stops ({@code stopped}). */
public enum AgentStatus implements Vocabulary {
    ACTIVE, STOPPED
}
