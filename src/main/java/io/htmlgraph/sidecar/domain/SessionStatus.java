package io.htmlgraph.sidecar.domain;

/**
 * A session's {@code status}: stored {@code active} or {@code ended}; {@code idle} is an active session with no event
 * for {@code HTMLGRAPH_IDLE_AFTER}, worked out when read. The {@code status} filter of the session routes takes these.
 */
public enum SessionStatus implements Vocabulary {
    ACTIVE, IDLE, ENDED
}
