package io.htmlgraph.sidecar.store;

import io.htmlgraph.sidecar.domain.ErrorCode;

/**
 * The writer refuses a request's events for what they say against what the store holds (a spawner run named by the
 * id of one of its session's tool calls): the client's error, answered 400 with {@code code}, nothing stored.
 */
public final class EventsRefusedException extends RuntimeException {
    private final ErrorCode code;

    public EventsRefusedException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
