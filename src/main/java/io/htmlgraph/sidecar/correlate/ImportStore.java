package io.htmlgraph.sidecar.correlate;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.helidon.dbclient.DbExecute;
import io.htmlgraph.sidecar.domain.EventStatus;
import io.htmlgraph.sidecar.domain.ImportBatch.Event;
import io.htmlgraph.sidecar.domain.ImportBatch;
import io.htmlgraph.sidecar.domain.SessionStatus;
import io.htmlgraph.sidecar.domain.Timestamps;
import io.htmlgraph.sidecar.store.Binder;
import io.htmlgraph.sidecar.store.EventRow;
import io.htmlgraph.sidecar.store.EventTable;
import io.htmlgraph.sidecar.store.Params;
import io.htmlgraph.sidecar.store.Rows;

/**
 * Applies an imported batch inside the writer's transaction, with the same outcome as live hooks would have had:
 * the start and the results of one tool call become one row (real status, duration end − start), a result repeated
 * within {@link #DUPLICATE_RESULT} of the first is dropped, {@code Stop} closes the open turn, and a parent that
 * points at nothing is replaced by the session's turn. Ids come from the source, so re-applying changes nothing.
 */
final class ImportStore {
    /** htmlgraph wrote each result twice, at the same second: a second result this close is the same one. */
    static final Duration DUPLICATE_RESULT = Duration.ofSeconds(2);
    /** A result completes a started call at most this long after its start (else it is a call of its own). */
    static final Duration LONGEST_CALL = Duration.ofHours(2);
    /** The statements run per row (bound by position, as the writer's own: {@link Binder}). */
    private static final Binder FINISH = Binder.of("import-event-finish", "status", "ended_at", "duration",
            "output_summary", "seq", "now", "event_id");
    private static final Binder EXISTS = Binder.of("import-event-exists", "event_id");
    private static final Binder CURSOR = Binder.of("import-cursor-at", "source", "source_table");

    private final Stamps stamps;
    private final EventTable events;
    private final DbExecute tx;
    private final String now;
    private final Map<String, Turn> turns = new HashMap<>();
    private final Map<String, WriterState.Delta> sessions = new HashMap<>();
    private final Map<String, String[]> agents = new HashMap<>();
    private ImportCalls calls;

    private ImportStore(Stamps stamps, EventTable events, DbExecute tx) {
        this.stamps = stamps;
        this.events = events;
        this.tx = tx;
        this.now = stamps.now();
    }

    static void apply(DbExecute tx, ImportBatch batch, Stamps stamps, EventTable events) {
        new ImportStore(stamps, events, tx).apply(batch);
    }

    private void apply(ImportBatch batch) {
        long cursor = CURSOR.get(tx, batch.source(), batch.table()).map(r -> Rows.wholeOr0(r, "last_rowid"))
                .orElse(0L);
        if (batch.fromRowid() != 0 && batch.fromRowid() != cursor) {
            throw new IllegalStateException("import batch of " + batch.table() + " continues from rowid "
                                            + batch.fromRowid() + ", but the stored cursor is at " + cursor
                                            + " (a batch before it was not stored; the import reads it again)");
        }
        batch.sessions().forEach(this::session);
        calls = ImportCalls.of(tx, batch);
        batch.events().forEach(this::event);
        batch.tracks().forEach(this::track);
        batch.features().forEach(this::feature);
        batch.handoffs().forEach(this::handoff);
        sessions.entrySet().removeIf(entry -> entry.getValue().firstAt == null);
        sessions.forEach((id, delta) -> new Params().with("session_id", id).with("first_at", delta.firstAt)
                .with("last_at", delta.lastAt).with("added", delta.added).with("now", now)
                .dml(tx, "import-session-touch"));
        agents.forEach((key, agent) -> new Params().with("session_id", agent[0]).with("agent_key", agent[1])
                .with("agent_id", agent[2]).with("first_at", agent[3]).with("last_at", agent[4])
                .dml(tx, "import-agent-upsert"));
        new Params().with("source", batch.source()).with("source_table", batch.table())
                .with("last_rowid", batch.lastRowid()).with("last_key", batch.lastKey())
                .with("identity", batch.identity())
                .with("rows_read", batch.rowsRead()).with("now", now).dml(tx, "import-cursor-save");
    }

    private void session(ImportBatch.Session s) {
        new Params().with("session_id", s.sessionId()).with("agent", s.agent()).with("start_commit", s.startCommit())
                .with("continued_from", s.continuedFrom())
                .with("status", (s.ended() ? SessionStatus.ENDED : SessionStatus.ACTIVE).value())
                .with("transcript_path", s.transcriptPath()).with("started_at", s.startedAt())
                .with("ended_at", s.endedAt()).with("now", now)
                .dml(tx, "import-session-upsert");
    }

    private void event(Event e) {
        ensureSession(e.sessionId(), e.timestamp());
        // Inserts are ON CONFLICT DO NOTHING: a row imported before changes nothing (a result checks itself).
        switch (e.role()) {
            case TURN -> openTurn(e);
            case TURN_END -> closeTurn(e);
            case TOOL_START -> insert(e, e.sourceParentId(), true, e.timestamp(), EventStatus.STARTED.value(),
                                      null, null);
            case TOOL_RESULT -> toolResult(e);
            case RECORD -> insert(e, e.sourceParentId(), true, e.timestamp(), EventStatus.RECORDED.value(), null, null);
        }
    }

    private void openTurn(Event e) {
        if (insert(e, null, false, e.timestamp(), EventStatus.STARTED.value(), null, null)) {
            Params.of("event_id", e.eventId()).with("session_id", e.sessionId()).dml(tx, "session-set-turn");
            turns.put(e.sessionId(), new Turn(e.eventId(), e.timestamp(), EventStatus.STARTED.value()));
        }
    }

    private void closeTurn(Event e) {
        Optional<Turn> turn = turn(e);
        if (insert(e, turn.map(Turn::id).orElse(null), false, e.timestamp(), EventStatus.RECORDED.value(), null, null)
                && turn.isPresent() && EventStatus.STARTED.is(turn.get().status())) {
            finish(turn.get().id(), EventStatus.COMPLETED.value(), e.timestamp(),
                   Timestamps.secondsBetween(turn.get().at(), e.timestamp()), null);
            turns.put(e.sessionId(), new Turn(turn.get().id(), turn.get().at(), EventStatus.COMPLETED.value()));
        }
    }

    /** Completes the call's start, drops a repeated result, or stores the result as a whole call. */
    private void toolResult(Event e) {
        Optional<ImportCalls.Call> latest = calls.latest(e);
        Instant at = Timestamps.parse(e.timestamp());
        if (latest.isPresent()) {
            ImportCalls.Call call = latest.get();
            String endedAt = call.endedAt;
            if (e.eventId().equals(call.eventId)) {
                return; // imported before
            }
            if (EventStatus.STARTED.is(call.status) && !exists(e.eventId())
                    && !Timestamps.parse(call.timestamp).isBefore(at.minus(LONGEST_CALL))) {
                String start = call.timestamp;
                double duration = e.duration() != null ? e.duration() : Timestamps.secondsBetween(start, e.timestamp());
                finish(call.eventId, e.status(), e.timestamp(), duration, e.outputSummary());
                return;
            }
            if (endedAt != null && !Timestamps.parse(endedAt).isBefore(at.minus(DUPLICATE_RESULT))) {
                return; // the same result stored again
            }
        }
        String start = e.duration() == null ? e.timestamp()
                : Timestamps.format(at.minusMillis(Math.round(e.duration() * 1000)));
        insert(e, e.sourceParentId(), true, start, e.status(), e.timestamp(), e.duration());
    }

    private Optional<Turn> turn(Event e) {
        Turn cached = turns.get(e.sessionId());
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<Turn> stored = Params.of("session_id", e.sessionId()).get(tx, "import-turn-current")
                .map(r -> new Turn(Rows.text(r, "event_id"), Rows.text(r, "timestamp"), Rows.text(r, "status")));
        stored.ifPresent(t -> turns.put(e.sessionId(), t));
        return stored;
    }

    /**
     * Inserts the row unless it was imported before. Its parent is {@code parent} when that row exists, else with
     * {@code underTurn} the session's turn when it began before the row (resolved in the statement: one round trip).
     */
    private boolean insert(Event e, String parent, boolean underTurn, String start, String status, String endedAt,
                           Double duration) {
        EventRow row = EventRow.builder().stamped(e.eventId(), stamps.nextSeq(), now).session(e.sessionId())
                .agent(e.agentId(), null, e.agentKey()).origin("htmlgraph", e.hookEventName())
                .kind(e.eventType(), e.toolName(), null).under(null, parent).delegation(e.subagentType(), null)
                .status(status).model(e.model()).summaries(e.inputSummary(), e.outputSummary())
                .times(start, endedAt, duration).payload(e.payload(), e.fingerprint()).build();
        if (!events.insertImported(tx, row, underTurn, e.timestamp())) {
            return false;
        }
        calls.stored(e, status, start, endedAt);
        sessions.computeIfAbsent(e.sessionId(), id -> new WriterState.Delta()).add(e.timestamp(), 1);
        String[] agent = agents.computeIfAbsent(e.sessionId() + '\u0000' + e.agentKey(), k -> new String[] {
            e.sessionId(), e.agentKey(), e.agentId(), e.timestamp(), e.timestamp()});
        agent[3] = agent[3].compareTo(e.timestamp()) > 0 ? e.timestamp() : agent[3];
        agent[4] = agent[4].compareTo(e.timestamp()) < 0 ? e.timestamp() : agent[4];
        return true;
    }

    private void finish(String eventId, String status, String endedAt, double duration, String output) {
        boolean running = EventStatus.STARTED.is(status) || EventStatus.RUNNING.is(status);
        String finalStatus = running ? EventStatus.SUCCESS.value() : status;
        calls.finished(eventId, finalStatus, endedAt);
        FINISH.dml(tx, finalStatus, endedAt, Math.max(0, duration), output, stamps.nextSeq(), now, eventId);
    }

    private boolean exists(String eventId) {
        return EXISTS.get(tx, eventId).isPresent();
    }

    private void ensureSession(String sessionId, String at) {
        if (!sessions.containsKey(sessionId)) {
            new Params().with("session_id", sessionId).with("at", at).with("now", now)
                    .dml(tx, "import-session-ensure");
            sessions.put(sessionId, new WriterState.Delta());
        }
    }

    private void track(ImportBatch.Track t) {
        new Params().with("track_id", t.trackId()).with("title", t.title()).with("description", t.description())
                .with("priority", t.priority()).with("status", t.status()).with("created_at", t.createdAt())
                .with("updated_at", t.updatedAt()).with("completed_at", t.completedAt())
                .dml(tx, "import-track-upsert");
    }

    private void feature(ImportBatch.Feature f) {
        new Params().with("id", f.id()).with("type", f.type()).with("title", f.title())
                .with("description", f.description()).with("status", f.status()).with("priority", f.priority())
                .with("assigned_to", f.assignedTo()).with("track_id", f.trackId())
                .with("parent_feature_id", f.parentFeatureId()).with("created_at", f.createdAt())
                .with("updated_at", f.updatedAt()).with("completed_at", f.completedAt())
                .dml(tx, "import-feature-upsert");
    }

    private void handoff(ImportBatch.Handoff h) {
        if (h.sessionId() != null) {
            ensureSession(h.sessionId(), h.timestamp());
        }
        new Params().with("handoff_id", h.handoffId()).with("from_agent", h.fromAgent()).with("to_agent", h.toAgent())
                .with("timestamp", h.timestamp()).with("feature_id", h.featureId()).with("session_id", h.sessionId())
                .with("handoff_type", h.handoffType()).with("status", h.status()).with("reason", h.reason())
                .with("context", h.context()).with("result", h.result())
                .dml(tx, "import-handoff-upsert");
    }

    /** A turn: its prompt row, when it began, and its status. */
    private record Turn(String id, String at, String status) {
    }
}
