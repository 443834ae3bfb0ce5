package io.htmlgraph.sidecar.domain;

import java.util.Locale;

/**
 * The {@code status} of an event row: the one vocabulary of every route that shows an event or a delegation (events,
 * traces, grouped feed, activity feed, orchestration, session detail, the live stream), and the values the SQL
 * (migrations, statements.yaml) compares with. A tool call or a delegation goes {@code started} → {@code success} |
 * {@code error} ({@code running}: launched in the background, or a spawner run under way); a turn goes
 * {@code started} → {@code completed} | {@code error} | {@code interrupted}; any other event is {@code recorded}.
 */
public enum EventStatus implements Vocabulary {
    STARTED, RUNNING, SUCCESS, ERROR, COMPLETED, INTERRUPTED, RECORDED;

    private final String value = name().toLowerCase(Locale.ROOT);

    /** As stored and answered; made once (the tree routes compare every node's status with it, twice). */
    @Override
    public String value() {
        return value;
    }

    /** Whether a stored status means it went well: {@code success} (a call) or {@code completed} (a turn). */
    public static boolean succeeded(String status) {
        return SUCCESS.is(status) || COMPLETED.is(status);
    }
}
