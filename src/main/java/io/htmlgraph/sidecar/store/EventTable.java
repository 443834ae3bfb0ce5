package io.htmlgraph.sidecar.store;

import java.util.HashMap;
import java.util.Map;

import io.helidon.dbclient.DbExecute;
import io.htmlgraph.sidecar.domain.EventStatus;

/**
 * Inserts {@link EventRow}s into {@code agent_events} and keeps {@code event_counts} (events per agent and type, the
 * metrics' source) for them: counted in memory per request, folded into the transaction's counts when the request is
 * stored (a request rolled back to its savepoint leaves none), and written as one upsert per (agent, type) just
 * before the commit. Why not the former per-row trigger: it was a third of SQLite's work per row (README, Design
 * notes). Deleting rows still goes through the delete trigger; retention leaves the lifetime counts as they are.
 * The same way it keeps each session's {@code session_summary} row (events, turns, tool calls and errors of the rows
 * it inserts; migration 10's triggers follow later changes). Only the writer thread uses it.
 */
public final class EventTable {
    private final Map<Key, Count> request = new HashMap<>();
    private final Map<Key, Count> transaction = new HashMap<>();
    private final Map<String, SessionCount> requestSessions = new HashMap<>();
    private final Map<String, SessionCount> transactionSessions = new HashMap<>();

    /** Inserts a new row (hooks, spawner runs). */
    public void insert(DbExecute tx, EventRow row) {
        row.params().dml(tx, "event-insert");
        counted(row);
    }

    /**
     * Inserts an imported row unless its id is stored already; its parent is resolved in the statement (with
     * {@code underTurn}, the session's turn when it began at or before {@code at}). Returns whether it was inserted.
     */
    public boolean insertImported(DbExecute tx, EventRow row, boolean underTurn, String at) {
        long inserted = row.params().with("under_turn", underTurn ? 1 : 0).with("at", at)
                .dml(tx, "import-event-insert");
        if (inserted > 0) {
            counted(row);
        }
        return inserted > 0;
    }

    private void counted(EventRow row) {
        request.computeIfAbsent(new Key(row.agentId(), row.eventType()), k -> new Count()).add(1, row.timestamp());
        requestSessions.computeIfAbsent(row.sessionId(), k -> new SessionCount()).add(row);
    }

    /** The current request is stored: its counts join the transaction's. */
    public void requestApplied() {
        request.forEach((key, count) -> transaction.computeIfAbsent(key, k -> new Count()).add(count.events,
                                                                                                count.lastAt));
        request.clear();
        requestSessions.forEach((id, count) -> transactionSessions.computeIfAbsent(id, k -> new SessionCount())
                .merge(count));
        requestSessions.clear();
    }

    /** The current request was rolled back to its savepoint: its rows are gone, so are their counts. */
    public void requestRolledBack() {
        request.clear();
        requestSessions.clear();
    }

    /** Writes the transaction's counts (inside it, so they commit or roll back with the rows). */
    public void beforeCommit(DbExecute tx) {
        transaction.forEach((key, count) -> new Params().with("agent_id", key.agentId())
                .with("event_type", key.eventType()).with("events", count.events).with("last_at", count.lastAt)
                .dml(tx, "write-event-counts-add"));
        transaction.clear();
        transactionSessions.forEach((id, count) -> new Params().with("session_id", id).with("events", count.events)
                .with("turns", count.turns).with("tool_calls", count.toolCalls).with("errors", count.errors)
                .dml(tx, "turns-session-summary-add"));
        transactionSessions.clear();
    }

    /** The transaction failed as a whole: nothing of it is stored. */
    public void transactionFailed() {
        request.clear();
        transaction.clear();
        requestSessions.clear();
        transactionSessions.clear();
    }

    private record Key(String agentId, String eventType) {
    }

    private static final class Count {
        long events;
        String lastAt;

        void add(long more, String at) {
            events += more;
            lastAt = lastAt == null || at.compareTo(lastAt) > 0 ? at : lastAt;
        }
    }

    /** What new rows add to their session's summary (the same tests as the session-totals statement). */
    private static final class SessionCount {
        long events;
        long turns;
        long toolCalls;
        long errors;

        void add(EventRow row) {
            boolean prompt = "UserQuery".equals(row.toolName());
            events++;
            turns += prompt ? 1 : 0;
            toolCalls += row.toolName() != null && !prompt
                    && ("tool_call".equals(row.eventType()) || "delegation".equals(row.eventType())) ? 1 : 0;
            errors += EventStatus.ERROR.is(row.status()) ? 1 : 0;
        }

        void merge(SessionCount other) {
            events += other.events;
            turns += other.turns;
            toolCalls += other.toolCalls;
            errors += other.errors;
        }
    }
}
