package io.htmlgraph.sidecar.store;

import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;

/**
 * Inserts {@link EventRow}s into {@code agent_events} and keeps what new rows add to the summary tables
 * ({@link NewRowCounts}: event counts, session summaries, activity and agent minutes, agent errors, spawner
 * sessions): counted in memory for the transaction (a failed one leaves none: the writer rolls it back whole and
 * applies its other requests again) and written as one upsert per key just before the commit.
 * Why not per-row insert triggers (migrations 8 and 12 dropped them): they were most of SQLite's work per row, and an
 * insert that fires a trigger needs a statement journal (README, Design notes). A hook's first finish of a call is
 * counted here too ({@link #finished}); other changes to stored rows and deletions go through update and delete
 * triggers; retention leaves the lifetime event counts as they are. Only the writer thread uses it.
 */
public final class EventTable {
    private static final Binder INSERT = Binder.of("event-insert", "event_id", "seq", "session_id", "agent_id",
            "agent_type", "agent_key", "source", "hook_event_name", "event_type", "tool_name", "tool_use_id",
            "prompt_id", "parent_event_id", "subagent_type", "spawner_type", "status", "model", "input_summary",
            "output_summary", "timestamp", "ended_at", "duration", "payload", "payload_hash", "now", "feature_id",
            "finished_by");
    private static final Binder INSERT_IMPORTED = Binder.of("import-event-insert", "event_id", "seq", "session_id",
            "agent_id", "agent_key", "hook_event_name", "event_type", "tool_name", "parent_event_id", "under_turn",
            "at", "subagent_type", "status", "model", "input_summary", "output_summary", "timestamp", "ended_at",
            "duration", "payload", "payload_hash", "now");

    private final NewRowCounts counts = new NewRowCounts();

    /**
     * Inserts a new row (hooks, spawner runs), unless its session holds a row of its tool use id already (a
     * redelivered tool call, or one whose end came first); returns whether it was inserted.
     */
    public boolean insert(DbExecute tx, EventRow row) {
        long inserted = INSERT.dml(tx, row.eventId(), row.seq(), row.sessionId(), row.agentId(), row.agentType(),
                row.agentKey(), row.source(), row.hookEventName(), row.eventType(), row.toolName(), row.toolUseId(),
                row.promptId(), row.parentEventId(), row.subagentType(), row.spawnerType(), row.status(), row.model(),
                row.inputSummary(), row.outputSummary(), row.timestamp(), row.endedAt(), row.duration(),
                row.payload(), row.payloadHash(), row.now(), row.featureId(), row.finishedBy());
        if (inserted > 0) {
            counts.add(row);
        }
        return inserted > 0;
    }

    /**
     * Inserts an imported row unless its id is stored already; its parent is resolved in the statement (with
     * {@code underTurn}, the session's turn when it began at or before {@code at}). Returns whether it was inserted.
     */
    public boolean insertImported(DbExecute tx, EventRow row, boolean underTurn, String at) {
        long inserted = INSERT_IMPORTED.dml(tx, row.eventId(), row.seq(), row.sessionId(), row.agentId(),
                row.agentKey(), row.hookEventName(), row.eventType(), row.toolName(), row.parentEventId(),
                underTurn ? 1 : 0, at, row.subagentType(), row.status(), row.model(), row.inputSummary(),
                row.outputSummary(), row.timestamp(), row.endedAt(), row.duration(), row.payload(), row.payloadHash(),
                row.now());
        if (inserted > 0) {
            counts.add(row);
        }
        return inserted > 0;
    }

    /**
     * Counts a hook's finish of a stored call ({@code event-finish}, which marks it {@code finished_by = 'hook'}):
     * {@code before} is the row as the writer read it (status, duration, time, type, tool, agent, finished_by), and
     * {@code status} and {@code duration} what the finish stores. A row the hook finished before (a background
     * delegation that ran on) is counted by the minute triggers instead (migration 15).
     */
    public void finished(DbRow before, String status, Double duration) {
        if ("hook".equals(Rows.text(before, "finished_by"))) {
            return;
        }
        counts.finished(Rows.text(before, "agent_id"), Rows.text(before, "event_type"),
                        Rows.text(before, "tool_name"), Rows.text(before, "timestamp"), Rows.text(before, "status"),
                        Rows.real(before, "execution_duration_seconds"), status, duration);
    }

    /** Writes the transaction's counts (inside it, so they commit or roll back with the rows). */
    public void beforeCommit(DbExecute tx) {
        counts.write(tx);
        counts.clear();
    }

    /** The transaction failed as a whole: nothing of it is stored. */
    public void transactionFailed() {
        counts.clear();
    }
}
