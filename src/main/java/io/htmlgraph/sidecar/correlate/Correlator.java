package io.htmlgraph.sidecar.correlate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.htmlgraph.sidecar.domain.CallPairs;
import io.htmlgraph.sidecar.domain.EventStatus;
import io.htmlgraph.sidecar.domain.FeatureChange;
import io.htmlgraph.sidecar.domain.HandoffStatus;
import io.htmlgraph.sidecar.domain.HookKind;
import io.htmlgraph.sidecar.domain.ImportBatch;
import io.htmlgraph.sidecar.domain.IngestEvent;
import io.htmlgraph.sidecar.domain.Ingested;
import io.htmlgraph.sidecar.domain.SpawnerEvent;
import io.htmlgraph.sidecar.domain.Timestamps;
import io.htmlgraph.sidecar.domain.UsageItem;
import io.htmlgraph.sidecar.store.Binder;
import io.htmlgraph.sidecar.store.EventRow;
import io.htmlgraph.sidecar.store.EventTable;
import io.htmlgraph.sidecar.store.Params;
import io.htmlgraph.sidecar.store.Rows;

/**
 * Applies one hook event inside the writer's transaction, following the correlation rules of SPEC §4.1:
 * one row per tool call paired by {@code tool_use_id}; a prompt opens a turn that {@code Stop} closes; tool calls hang
 * under their turn, subagent work under its delegation; redeliveries change nothing. Only the writer thread calls it.
 */
final class Correlator {
    /** An identical payload of the same session this soon after is a redelivery (a person repeating is slower). */
    static final Duration DUPLICATE_WINDOW = Duration.ofSeconds(10);
    private static final Binder TURN_BY_PROMPT = Binder.of("turn-by-prompt", "prompt_id", "session_id");
    private static final Binder SET_TURN = Binder.of("session-set-turn", "event_id", "session_id");
    private static final Binder CALL_BY_USE_ID = Binder.of("tool-call-by-use-id", "session_id", "tool_use_id");
    private static final Binder OLDEST_OPEN_CALL = Binder.of("tool-call-oldest-open", "session_id", "tool_name",
            "agent_key");
    private static final Binder DUPLICATE = Binder.of("recent-duplicate", "session_id", "payload_hash", "since");
    private static final Binder EVENT = Binder.of("event-get", "event_id");
    private static final Binder FINISH = Binder.of("event-finish", "status", "ended_at", "duration", "output_summary",
            "model", "payload", "payload_hash", "seq", "now", "event_id");
    private static final Binder OPEN_COLLABORATION = Binder.of("collaboration-insert", "handoff_id", "from_agent",
            "to_agent", "timestamp", "session_id", "reason");
    private static final Binder CLOSE_COLLABORATION = Binder.of("collaboration-finish", "status", "result",
            "handoff_id");

    private final Stamps stamps;
    private final EventTable events = new EventTable();
    private final Presence presence;
    private final SpawnerRuns spawnerRuns;
    private final UsageLedger usage;
    /** The instant {@link #at} formatted last, and its text. */
    private Instant formattedAt;
    private String formattedAtText;

    /** @param stored what telemetry and transcripts have stored so far */
    Correlator(Clock clock, long lastSeq, UsageLedger.Stored stored) {
        this.stamps = new Stamps(clock, lastSeq);
        this.presence = new Presence(clock);
        this.spawnerRuns = new SpawnerRuns(stamps, events, presence);
        this.usage = new UsageLedger(stamps, presence, stored);
    }

    /** Ids, sequence numbers and the clock of every row written. */
    Stamps stamps() {
        return stamps;
    }

    /** The event rows and their counts, for the writer's request and transaction boundaries. */
    EventTable events() {
        return events;
    }

    /** Session and agent bookkeeping, for the writer's transaction boundaries. */
    Presence presence() {
        return presence;
    }

    /** Telemetry and transcript usage, for the writer's transaction boundaries. */
    UsageLedger usage() {
        return usage;
    }

    /**
     * Applies one request's events in order. A tool call whose PostToolUse follows its PreToolUse in the request, with
     * at most other calls' starts and ends between them (parallel calls), is stored by one insert of the finished row
     * instead of an insert, a lookup and an update ({@link #storeFinishedCall}); its PostToolUse then only counts as
     * the agent's activity, in its place.
     */
    void applyAll(DbExecute tx, List<? extends Ingested> events) {
        BitSet storedEnds = new BitSet();
        for (int i = 0; i < events.size(); i++) {
            Ingested event = events.get(i);
            if (storedEnds.get(i)) {
                IngestEvent end = (IngestEvent) event;
                presence.touch(tx, end, presence.agent(tx, end), 0); // as finishToolCall does before it finishes
                continue;
            }
            int end = CallPairs.endOf(events, i);
            if (end > 0 && storeFinishedCall(tx, (IngestEvent) event, (IngestEvent) events.get(end))) {
                storedEnds.set(end);
            } else {
                apply(tx, event);
            }
        }
    }

    void apply(DbExecute tx, Ingested event) {
        switch (event) {
            case IngestEvent e -> apply(tx, e);
            case SpawnerEvent s -> spawnerRuns.apply(tx, s);
            case FeatureChange f -> applyFeature(tx, f);
            case UsageItem u -> usage.apply(tx, u);
            case ImportBatch b -> ImportStore.apply(tx, b, stamps, events);
        }
    }

    private void apply(DbExecute tx, IngestEvent e) {
        switch (e.kind()) {
            case PRE_TOOL -> startToolCall(tx, e);
            case POST_TOOL, POST_TOOL_FAILURE -> finishToolCall(tx, e);
            case USER_PROMPT -> openTurn(tx, e);
            case STOP, STOP_FAILURE -> closeTurn(tx, e);
            case SUBAGENT_STOP -> stopSubagent(tx, e);
            default -> record(tx, e);
        }
    }

    private void record(DbExecute tx, IngestEvent e) {
        if (isDuplicate(tx, e)) {
            return;
        }
        Presence.Agent agent = presence.agent(tx, e);
        boolean sessionLevel = e.kind() == HookKind.SESSION_START || e.kind() == HookKind.SESSION_END;
        String parent = sessionLevel ? null : parent(tx, e, agent);
        presence.touch(tx, e, agent, 1);
        insert(tx, e, agent, newId(), parent, e.hookEventName(), EventStatus.RECORDED.value());
    }

    private void openTurn(DbExecute tx, IngestEvent e) {
        boolean seen = e.promptId() != null
                ? TURN_BY_PROMPT.get(tx, e.promptId(), e.sessionId()).isPresent()
                : isDuplicate(tx, e);
        if (seen) {
            return;
        }
        Presence.Agent agent = presence.agent(tx, e);
        WriterState.SessionState session = presence.session(tx, e);
        if (session.turnId != null) {
            Turns.interrupt(tx, session.turnId, nextSeq(), now()); // the user moved on without a Stop
        }
        presence.touch(tx, e, agent, 1);
        String id = newId();
        presence.session(tx, e).turnFeature = null; // a new turn: only its own or the session's feature
        insert(tx, e, agent, id, null, "UserQuery", EventStatus.STARTED.value());
        SET_TURN.dml(tx, id, e.sessionId());
        session.turnId = id;
        session.turnAt = at(e);
        session.turnFeature = e.featureId() != null ? e.featureId() : session.feature;
        usage.turnOpened(tx, e.sessionId(), id, e.promptId(), at(e), session.turnFeature);
    }

    private void closeTurn(DbExecute tx, IngestEvent e) {
        if (isDuplicate(tx, e)) {
            return;
        }
        Presence.Agent agent = presence.agent(tx, e);
        Optional<Turn> turn = turn(tx, e);
        presence.touch(tx, e, agent, 1);
        insert(tx, e, agent, newId(), turn.map(Turn::id).orElse(null), e.hookEventName(), EventStatus.RECORDED.value());
        // StopFailure (rate limit, API error …) ends the turn too, as an error.
        String status = e.kind() == HookKind.STOP_FAILURE ? EventStatus.ERROR.value() : EventStatus.COMPLETED.value();
        turn.ifPresent(t -> finish(tx, e, t.id(), null, status, Timestamps.secondsBetween(t.at(), at(e)), false));
    }

    private void startToolCall(DbExecute tx, IngestEvent e) {
        if (e.toolUseId() == null && isDuplicate(tx, e)) {
            return;
        }
        Presence.Agent agent = presence.agent(tx, e);
        String id = newId();
        if (!insert(tx, e, agent, id, parent(tx, e, agent), e.toolName(), EventStatus.STARTED.value())) {
            return; // its tool use id is stored: a redelivery, or the PostToolUse came first
        }
        presence.touch(tx, e, agent, 1);
        usage.toolCallStored(tx, e.sessionId(), e.toolUseId());
        if (e.isDelegation()) {
            openCollaboration(tx, e, agent, id);
        }
    }

    /**
     * Stores a new tool call already finished by {@code post}, its PostToolUse (see {@link CallPairs#endOf}): the row
     * that {@link #startToolCall} and then {@link #finishToolCall} leave, written once, with the end's payload.
     * Returns false, having stored nothing, when the call is stored already.
     */
    private boolean storeFinishedCall(DbExecute tx, IngestEvent pre, IngestEvent post) {
        Presence.Agent agent = presence.agent(tx, pre);
        String start = at(pre);
        String end = at(post);
        String status = post.kind() == HookKind.POST_TOOL_FAILURE ? EventStatus.ERROR.value()
                : EventStatus.SUCCESS.value();
        EventRow.Builder row = eventRow(tx, pre, agent, newId(), parent(tx, pre, agent), pre.toolName(), status)
                .times(start, end, post.durationMs() != null ? post.durationMs() / 1000.0
                        : Timestamps.secondsBetween(start, end))
                .summaries(pre.inputSummary(), post.outputSummary() != null ? post.outputSummary()
                        : pre.outputSummary())
                .payload(post.payload(), post.payloadHash()) // the start's may be unwritten: see CallPairs
                .finishedBy("hook");
        if (post.model() != null) {
            row.model(post.model());
        }
        if (!events.insert(tx, row.build())) {
            return false; // stored already: the two go one by one (nothing for the first, the second may finish it)
        }
        presence.touch(tx, pre, agent, 1);
        usage.toolCallStored(tx, pre.sessionId(), pre.toolUseId());
        return true;
    }

    private void finishToolCall(DbExecute tx, IngestEvent e) {
        if (e.toolUseId() == null && isDuplicate(tx, e)) {
            return; // a redelivered completion of a call paired by order: it must not close the next call
        }
        Optional<DbRow> call = e.toolUseId() != null ? toolCallByUseId(tx, e)
                : OLDEST_OPEN_CALL.get(tx, e.sessionId(), e.toolName(), e.agentKey());
        String status = e.kind() == HookKind.POST_TOOL_FAILURE ? EventStatus.ERROR.value()
                : e.asyncLaunched() ? EventStatus.RUNNING.value() : EventStatus.SUCCESS.value();
        Presence.Agent agent = presence.agent(tx, e);
        if (call.isEmpty()) {
            finishUnstartedToolCall(tx, e, agent, status);
            return;
        }
        if (!EventStatus.STARTED.is(Rows.text(call.get(), "status"))
                && !"telemetry".equals(Rows.text(call.get(), "finished_by"))) {
            return; // a redelivery: the call is already finished (telemetry's finish the hook may still complete)
        }
        presence.touch(tx, e, agent, 0);
        String id = Rows.text(call.get(), "event_id");
        Double duration = e.durationMs() != null ? e.durationMs() / 1000.0
                : Timestamps.secondsBetween(Rows.text(call.get(), "timestamp"), at(e));
        finish(tx, e, id, call.get(), status, duration, true);
        if (e.isDelegation() && !EventStatus.RUNNING.is(status)) {
            closeCollaboration(tx, id, status, e.outputSummary());
        }
    }

    /** A completion whose PreToolUse never arrived: one row, started {@code duration_ms} before it ended. */
    private void finishUnstartedToolCall(DbExecute tx, IngestEvent e, Presence.Agent agent, String status) {
        String parent = parent(tx, e, agent);
        presence.touch(tx, e, agent, 1);
        String id = newId();
        boolean running = EventStatus.RUNNING.is(status);
        String start = Timestamps.format(e.durationMs() == null ? e.at() : e.at().minusMillis(e.durationMs()));
        events.insert(tx, eventRow(tx, e, agent, id, parent, e.toolName(), status)
                .times(start, running ? null : at(e), running ? null : Timestamps.secondsBetween(start, at(e)))
                .build());
        usage.toolCallStored(tx, e.sessionId(), e.toolUseId());
        if (e.isDelegation()) {
            openCollaboration(tx, e, agent, id);
            if (!running) {
                closeCollaboration(tx, id, status, e.outputSummary());
            }
        }
    }

    private void stopSubagent(DbExecute tx, IngestEvent e) {
        if (isDuplicate(tx, e)) {
            return;
        }
        Presence.Agent agent = presence.agent(tx, e);
        String parent = parent(tx, e, agent);
        presence.touch(tx, e, agent, 1);
        insert(tx, e, agent, newId(), parent, e.hookEventName(), EventStatus.RECORDED.value());
        if (agent.delegationId() == null) {
            return;
        }
        Optional<DbRow> delegation = EVENT.get(tx, agent.delegationId());
        // A background delegation ("async_launched") runs until its subagent stops.
        if (delegation.isPresent() && EventStatus.RUNNING.is(Rows.text(delegation.get(), "status"))) {
            finish(tx, e, agent.delegationId(), delegation.get(), EventStatus.SUCCESS.value(),
                    Timestamps.secondsBetween(Rows.text(delegation.get(), "timestamp"), at(e)), false);
            closeCollaboration(tx, agent.delegationId(), EventStatus.SUCCESS.value(), e.outputSummary());
        }
    }

    private String parent(DbExecute tx, IngestEvent e, Presence.Agent agent) {
        if (agent.delegationId() != null) {
            return agent.delegationId();
        }
        return turn(tx, e).map(Turn::id).orElse(null);
    }

    /** The turn an event belongs to, as (id, start time): by {@code prompt_id} when sent, else the latest prompt. */
    private Optional<Turn> turn(DbExecute tx, IngestEvent e) {
        if (e.promptId() != null) {
            Optional<DbRow> byPrompt = TURN_BY_PROMPT.get(tx, e.promptId(), e.sessionId());
            if (byPrompt.isPresent()) {
                return byPrompt.map(r -> new Turn(Rows.text(r, "event_id"), Rows.text(r, "timestamp")));
            }
        }
        WriterState.SessionState session = presence.session(tx, e);
        return session.turnId == null ? Optional.empty() : Optional.of(new Turn(session.turnId, session.turnAt));
    }

    /** The next change sequence number. */
    long nextSeq() {
        return stamps.nextSeq();
    }

    /** The last sequence number handed out. */
    long lastSeq() {
        return stamps.lastSeq();
    }

    private Optional<DbRow> toolCallByUseId(DbExecute tx, IngestEvent e) {
        return CALL_BY_USE_ID.get(tx, e.sessionId(), e.toolUseId());
    }

    private boolean isDuplicate(DbExecute tx, IngestEvent e) {
        return DUPLICATE.get(tx, e.sessionId(), e.payloadHash(), Timestamps.format(e.at().minus(DUPLICATE_WINDOW)))
                .isPresent();
    }

    /** Inserts the event's row; false when its tool use id is stored already (see {@link EventTable#insert}). */
    private boolean insert(DbExecute tx, IngestEvent e, Presence.Agent agent, String id, String parent,
                           String toolName, String status) {
        return events.insert(tx, eventRow(tx, e, agent, id, parent, toolName, status).times(at(e), null, null)
                .build());
    }

    /** A hook event's row, all but its times. */
    private EventRow.Builder eventRow(DbExecute tx, IngestEvent e, Presence.Agent agent, String id, String parent,
                                      String toolName, String status) {
        boolean toolCall = e.kind().isToolCall();
        return EventRow.builder().stamped(id, nextSeq(), now()).session(e.sessionId())
                .agent(agent.name(), e.agentType(), e.agentKey()).origin(e.source(), e.hookEventName())
                .kind(toolCall && e.isDelegation() ? "delegation" : e.kind().eventType(), toolName,
                      toolCall ? e.toolUseId() : null)
                .under(e.promptId(), parent).delegation(e.subagentType(), null).status(status)
                .model(e.model() != null ? e.model() : presence.session(tx, e).model)
                .summaries(e.inputSummary(), e.outputSummary()).payload(e.payload(), e.payloadHash())
                .feature(feature(tx, e));
    }

    /** The event's feature: its own, else its turn's, else the session's active one. */
    private String feature(DbExecute tx, IngestEvent e) {
        if (e.featureId() != null) {
            return e.featureId();
        }
        WriterState.SessionState session = presence.session(tx, e);
        return session.turnFeature != null ? session.turnFeature : session.feature;
    }

    /**
     * Ends a row: {@code withPayload} replaces its payload by this event's (a tool call's result). {@code stored} is
     * the row as read (see {@link EventTable#finished}), which the writer counts finished; null for a turn, which no
     * minute summary counts.
     */
    private void finish(DbExecute tx, IngestEvent e, String id, DbRow stored, String status, Double duration,
                        boolean withPayload) {
        boolean running = EventStatus.RUNNING.is(status);
        Double stays = running ? null : duration;
        FINISH.dml(tx, status, running ? null : at(e), stays, e.outputSummary(),
                e.kind().isToolCall() ? e.model() : null, withPayload ? e.payload() : null,
                withPayload ? e.payloadHash() : null, nextSeq(), now(), id);
        if (stored != null) {
            events.finished(stored, status, stays);
        }
    }

    private void openCollaboration(DbExecute tx, IngestEvent e, Presence.Agent agent, String delegationId) {
        OPEN_COLLABORATION.dml(tx, delegationId, agent.name(), e.subagentType(), at(e), e.sessionId(),
                e.inputSummary());
    }

    private static void closeCollaboration(DbExecute tx, String delegationId, String status, String result) {
        CLOSE_COLLABORATION.dml(tx, HandoffStatus.closing(status).value(), result, delegationId);
    }

    private String newId() {
        return stamps.newId();
    }

    private String now() {
        return stamps.now();
    }

    /** The event's time as stored: the events of one request share their receipt time, formatted once. */
    private String at(IngestEvent e) {
        if (e.at() != formattedAt) {
            formattedAt = e.at();
            formattedAtText = Timestamps.format(formattedAt);
        }
        return formattedAtText;
    }

    /** A conversation turn: its UserQuery row and when the prompt came. */
    private record Turn(String id, String at) {
    }

    /** A feature created or changed through the API, inside the writer's transaction. */
    private static void applyFeature(DbExecute tx, FeatureChange change) {
        new Params().with("id", change.id()).with("title", change.title()).with("type", change.type())
                .with("description", change.description()).with("status", change.status())
                .with("priority", change.priority()).with("assigned_to", change.assignedTo())
                .with("at", Timestamps.format(change.at()))
                .dml(tx, change.create() ? "feature-insert" : "feature-update");
    }
}
