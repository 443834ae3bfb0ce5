package io.htmlgraph.sidecar.domain;

import java.util.List;

/**
 * The tool calls that one request carries whole: a {@code PreToolUse} whose {@code PostToolUse} (or failure) follows
 * it within {@link #WINDOW} events, with only other calls' starts and ends between them (parallel calls). The writer
 * stores such a call as one finished row with its end's payload, so the start's payload is never stored.
 */
public final class CallPairs {
    /** How far a request's events are searched for the end of a call they start (parallel calls are a few). */
    public static final int WINDOW = 64;

    private CallPairs() {
    }

    /**
     * Whether an event of this kind may start a call that ends in the same request. Delegations are left out: their
     * handoff opens and closes apart.
     */
    public static boolean mayStart(HookKind kind, String toolUseId, boolean delegation) {
        return kind == HookKind.PRE_TOOL && toolUseId != null && !delegation;
    }

    /**
     * Where the call that {@code events[start]} starts ends in the request (-1: not there, or not within
     * {@link #WINDOW} events, or something else than calls' starts and ends comes first, which could read or change
     * the call's row, or its turn's, as it stands then).
     */
    public static int endOf(List<? extends Ingested> events, int start) {
        if (!(events.get(start) instanceof IngestEvent pre)
            || !mayStart(pre.kind(), pre.toolUseId(), pre.isDelegation())) {
            return -1;
        }
        for (int i = start + 1; i < Math.min(events.size(), start + WINDOW); i++) {
            if (!(events.get(i) instanceof IngestEvent e) || !e.kind().isToolCall() || e.toolUseId() == null) {
                return -1;
            }
            if (e.toolUseId().equals(pre.toolUseId()) && e.sessionId().equals(pre.sessionId())) {
                return e.kind() == HookKind.PRE_TOOL || e.isDelegation() ? -1 : i;
            }
        }
        return -1;
    }
}
