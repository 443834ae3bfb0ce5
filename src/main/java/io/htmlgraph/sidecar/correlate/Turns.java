package io.htmlgraph.sidecar.correlate;

import java.util.List;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.htmlgraph.sidecar.domain.EventStatus;
import io.htmlgraph.sidecar.store.Binder;
import io.htmlgraph.sidecar.store.Params;
import io.htmlgraph.sidecar.store.Rows;

/**
 * Turns the user interrupted (no {@code Stop}, no {@code StopFailure}) end as {@code interrupted}, lasting up to
 * their last event: when the session's next prompt arrives, or when the session has been quiet for
 * {@code HTMLGRAPH_IDLE_AFTER}. A {@code Stop} that still comes later completes the turn after all.
 */
final class Turns {
    private static final int BATCH = 500;
    private static final Binder INTERRUPT = Binder.of("ops-turn-interrupt", "status", "seq", "now", "event_id");

    private Turns() {
    }

    /** Ends the turn as interrupted if it is still open (a turn that ended stays as it is). */
    static void interrupt(DbExecute tx, String turnId, long seq, String now) {
        INTERRUPT.dml(tx, EventStatus.INTERRUPTED.value(), seq, now, turnId);
    }

    /**
     * Ends open turns started before {@code idleBefore} whose session has had no event since, and open turns that
     * are no longer their session's current one; returns how many (at most one batch per call).
     */
    static int interruptIdle(DbExecute tx, String idleBefore, LongSupplier seq, String now) {
        List<String> ids;
        try (Stream<DbRow> rows = new Params().with("idle_before", idleBefore).with("limit", BATCH)
                .query(tx, "ops-turns-idle")) {
            ids = rows.map(r -> Rows.text(r, "event_id")).toList();
        }
        ids.forEach(id -> interrupt(tx, id, seq.getAsLong(), now));
        return ids.size();
    }
}
