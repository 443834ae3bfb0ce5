package io.htmlgraph.sidecar.store;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.SplittableRandom;

import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.htmlgraph.sidecar.domain.HookKind;
import io.htmlgraph.sidecar.domain.IngestEvent;
import io.htmlgraph.sidecar.domain.Ingested;
import io.htmlgraph.sidecar.domain.SpawnerEvent;

/**
 * Applies one hook event inside the writer's transaction, following the correlation rules of SPEC §4.1:
 * one row per tool call paired by {@code tool_use_id}; a prompt opens a turn that {@code Stop} closes; tool calls hang
 * under their turn, subagent work under its delegation; redeliveries change nothing. Only the writer thread calls it.
 */
final class Correlator {
    /** The agent name of a session's main thread. */
    static final String MAIN_AGENT = "claude-code";
    private static final Duration DUPLICATE_WINDOW = Duration.ofSeconds(60);

    private final Clock clock;
    private final WriterState state = new WriterState();
    private final SpawnerRuns spawnerRuns = new SpawnerRuns(this);
    private final SplittableRandom random = new SplittableRandom(new SecureRandom().nextLong());
    private long seq;

    Correlator(Clock clock, long lastSeq) {
        this.clock = clock;
        this.seq = lastSeq;
    }

    void apply(DbExecute tx, Ingested event) {
        switch (event) {
            case IngestEvent e -> apply(tx, e);
            case SpawnerEvent s -> spawnerRuns.apply(tx, s);
        }
    }

    private void apply(DbExecute tx, IngestEvent e) {
        switch (e.kind()) {
            case PRE_TOOL -> startToolCall(tx, e);
            case POST_TOOL, POST_TOOL_FAILURE -> finishToolCall(tx, e);
            case USER_PROMPT -> openTurn(tx, e);
            case STOP -> closeTurn(tx, e);
            case SUBAGENT_STOP -> stopSubagent(tx, e);
            default -> record(tx, e);
        }
    }

    /** The events of one request were applied. */
    void requestApplied() {
        state.jobStored();
    }

    /** The events of one request were rolled back to their savepoint. */
    void requestRolledBack() {
        state.jobRolledBack();
    }

    /** Writes the session counters of the transaction; called just before it commits. */
    void beforeCommit(DbExecute tx) {
        String now = now();
        state.drainDeltas().forEach((sessionId, delta) -> sessionParams(sessionId, delta.firstAt, delta.lastAt,
                IngestEvent.SessionFacts.NONE, "none", null).with("added", delta.added).with("now", now)
                .dml(tx, "session-touch"));
    }

    /** The transaction failed: forget everything remembered. */
    void transactionFailed() {
        state.reset();
    }

    private void record(DbExecute tx, IngestEvent e) {
        if (isDuplicate(tx, e)) {
            return;
        }
        Agent agent = agent(tx, e);
        boolean sessionLevel = e.kind() == HookKind.SESSION_START || e.kind() == HookKind.SESSION_END;
        String parent = sessionLevel ? null : parent(tx, e, agent);
        touch(tx, e, agent, 1);
        insert(tx, e, agent, newId(), parent, e.hookEventName(), "recorded");
    }

    private void openTurn(DbExecute tx, IngestEvent e) {
        boolean seen = e.promptId() != null
                ? Params.of("prompt_id", e.promptId()).get(tx, "turn-by-prompt").isPresent()
                : isDuplicate(tx, e);
        if (seen) {
            return;
        }
        Agent agent = agent(tx, e);
        touch(tx, e, agent, 1);
        String id = newId();
        insert(tx, e, agent, id, null, "UserQuery", "started");
        Params.of("event_id", id).with("session_id", e.sessionId()).dml(tx, "session-set-turn");
        WriterState.SessionState session = session(tx, e);
        session.turnId = id;
        session.turnAt = at(e);
    }

    private void closeTurn(DbExecute tx, IngestEvent e) {
        if (isDuplicate(tx, e)) {
            return;
        }
        Agent agent = agent(tx, e);
        Optional<Turn> turn = turn(tx, e);
        touch(tx, e, agent, 1);
        insert(tx, e, agent, newId(), turn.map(Turn::id).orElse(null), "Stop", "recorded");
        turn.ifPresent(t -> finish(tx, e, t.id(), "completed", Timestamps.secondsBetween(t.at(), at(e)), false));
    }

    private void startToolCall(DbExecute tx, IngestEvent e) {
        if (e.toolUseId() != null && toolCallByUseId(tx, e).isPresent()) {
            return; // a redelivery, or the PostToolUse came first
        }
        Agent agent = agent(tx, e);
        String parent = parent(tx, e, agent);
        touch(tx, e, agent, 1);
        String id = newId();
        insert(tx, e, agent, id, parent, e.toolName(), "started");
        if (e.isDelegation()) {
            openCollaboration(tx, e, agent, id);
        }
    }

    private void finishToolCall(DbExecute tx, IngestEvent e) {
        Optional<DbRow> call = e.toolUseId() != null ? toolCallByUseId(tx, e)
                : new Params().with("session_id", e.sessionId()).with("tool_name", e.toolName())
                        .with("agent_key", e.agentKey()).get(tx, "tool-call-oldest-open");
        String status = e.kind() == HookKind.POST_TOOL_FAILURE ? "error" : e.asyncLaunched() ? "running" : "success";
        Agent agent = agent(tx, e);
        if (call.isEmpty()) {
            finishUnstartedToolCall(tx, e, agent, status);
            return;
        }
        if (!"started".equals(Rows.text(call.get(), "status"))) {
            return; // a redelivery: the call is already finished
        }
        touch(tx, e, agent, 0);
        String id = Rows.text(call.get(), "event_id");
        Double duration = e.durationMs() != null ? e.durationMs() / 1000.0
                : Timestamps.secondsBetween(Rows.text(call.get(), "timestamp"), at(e));
        finish(tx, e, id, status, duration, true);
        if (e.isDelegation() && !"running".equals(status)) {
            closeCollaboration(tx, id, status, e.outputSummary());
        }
    }

    /** A completion whose PreToolUse never arrived: one row, started {@code duration_ms} before it ended. */
    private void finishUnstartedToolCall(DbExecute tx, IngestEvent e, Agent agent, String status) {
        String parent = parent(tx, e, agent);
        touch(tx, e, agent, 1);
        String id = newId();
        boolean running = "running".equals(status);
        String start = Timestamps.format(e.durationMs() == null ? e.at() : e.at().minusMillis(e.durationMs()));
        eventParams(e, agent, id, parent, e.toolName(), status)
                .with("timestamp", start)
                .with("ended_at", running ? null : at(e))
                .with("duration", running ? null : Timestamps.secondsBetween(start, at(e)))
                .dml(tx, "event-insert");
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
        Agent agent = agent(tx, e);
        String parent = parent(tx, e, agent);
        touch(tx, e, agent, 1);
        insert(tx, e, agent, newId(), parent, e.hookEventName(), "recorded");
        if (agent.delegationId() == null) {
            return;
        }
        Optional<DbRow> delegation = Params.of("event_id", agent.delegationId()).get(tx, "event-get");
        // A background delegation ("async_launched") runs until its subagent stops.
        if (delegation.isPresent() && "running".equals(Rows.text(delegation.get(), "status"))) {
            finish(tx, e, agent.delegationId(), "success",
                    Timestamps.secondsBetween(Rows.text(delegation.get(), "timestamp"), at(e)), false);
            closeCollaboration(tx, agent.delegationId(), "success", e.outputSummary());
        }
    }

    /** Who sent the event: the main agent, or a subagent linked to the delegation that started it. */
    private Agent agent(DbExecute tx, IngestEvent e) {
        WriterState.AgentState known = knownAgent(tx, e);
        if (!e.inSubagent()) {
            return new Agent(e.agentType() != null ? e.agentType() : MAIN_AGENT, null, known);
        }
        String delegation = known.delegationId;
        String name = e.agentType() != null ? e.agentType() : known.name;
        if (delegation == null) {
            // Claude Code links a subagent to its Agent call only by type: take the oldest open, unlinked one.
            Optional<DbRow> open = new Params().with("session_id", e.sessionId()).with("subagent_type", e.agentType())
                    .get(tx, "delegation-unlinked");
            delegation = open.map(r -> Rows.text(r, "event_id")).orElse(null);
            name = name != null ? name : open.map(r -> Rows.text(r, "subagent_type")).orElse(null);
        }
        return new Agent(name != null ? name : "subagent", delegation, known);
    }

    private WriterState.AgentState knownAgent(DbExecute tx, IngestEvent e) {
        WriterState.AgentState known = state.agent(e.sessionId(), e.agentKey());
        if (known == null) {
            known = new WriterState.AgentState();
            Optional<DbRow> row = new Params().with("session_id", e.sessionId()).with("agent_key", e.agentKey())
                    .get(tx, "agent-get");
            if (row.isPresent()) {
                known.stored = true;
                known.name = Rows.text(row.get(), "agent_id");
                known.delegationId = Rows.text(row.get(), "delegation_event_id");
                known.waiting = Rows.text(row.get(), "waiting_since") != null;
            }
            state.remember(e.sessionId(), e.agentKey(), known);
        }
        return known;
    }

    private String parent(DbExecute tx, IngestEvent e, Agent agent) {
        if (agent.delegationId() != null) {
            return agent.delegationId();
        }
        return turn(tx, e).map(Turn::id).orElse(null);
    }

    /** The turn an event belongs to, as (id, start time): by {@code prompt_id} when sent, else the latest prompt. */
    private Optional<Turn> turn(DbExecute tx, IngestEvent e) {
        if (e.promptId() != null) {
            Optional<DbRow> byPrompt = Params.of("prompt_id", e.promptId()).get(tx, "turn-by-prompt");
            if (byPrompt.isPresent()) {
                return byPrompt.map(r -> new Turn(Rows.text(r, "event_id"), Rows.text(r, "timestamp")));
            }
        }
        WriterState.SessionState session = session(tx, e);
        return session.turnId == null ? Optional.empty() : Optional.of(new Turn(session.turnId, session.turnAt));
    }

    private WriterState.SessionState session(DbExecute tx, IngestEvent e) {
        return session(tx, e.sessionId(), at(e), e.sessionFacts());
    }

    /** The session's remembered state, created in the store on first sight (with {@code facts}, if any). */
    WriterState.SessionState session(DbExecute tx, String sessionId, String at, IngestEvent.SessionFacts facts) {
        WriterState.SessionState session = state.session(sessionId);
        if (session != null) {
            return session;
        }
        session = new WriterState.SessionState();
        Optional<DbRow> row = Params.of("session_id", sessionId).get(tx, "session-state");
        if (row.isPresent()) {
            session.model = Rows.text(row.get(), "model");
            session.turnId = Rows.text(row.get(), "turn_id");
            session.turnAt = Rows.text(row.get(), "turn_at");
        } else {
            sessionParams(sessionId, at, at, facts != null ? facts : IngestEvent.SessionFacts.NONE, "none", null)
                    .with("added", 0).with("now", now()).dml(tx, "session-touch");
        }
        state.remember(sessionId, session);
        return session;
    }

    /** Counts a row against its session (written at commit). */
    void count(String sessionId, String at, int added) {
        state.count(sessionId, at, added);
    }

    /** The next change sequence number. */
    long nextSeq() {
        return ++seq;
    }

    private Optional<DbRow> toolCallByUseId(DbExecute tx, IngestEvent e) {
        return new Params().with("session_id", e.sessionId()).with("tool_use_id", e.toolUseId())
                .get(tx, "tool-call-by-use-id");
    }

    private boolean isDuplicate(DbExecute tx, IngestEvent e) {
        return new Params().with("session_id", e.sessionId()).with("payload_hash", e.payloadHash())
                .with("since", Timestamps.format(e.at().minus(DUPLICATE_WINDOW)))
                .get(tx, "recent-duplicate").isPresent();
    }

    /**
     * Records that the session and the agent were active; {@code added} is the number of new event rows.
     * Session lifecycle events and agent state changes are written at once, the session counters at commit.
     */
    private void touch(DbExecute tx, IngestEvent e, Agent agent, int added) {
        WriterState.SessionState session = session(tx, e);
        boolean end = e.kind() == HookKind.SESSION_END;
        if (end || e.kind() == HookKind.SESSION_START) {
            sessionParams(e.sessionId(), at(e), at(e), e.sessionFacts(), end ? "end" : "start", end ? at(e) : null)
                    .with("added", 0).with("now", now()).dml(tx, "session-touch");
            session.model = e.sessionFacts().model() != null ? e.sessionFacts().model() : session.model;
        }
        if (end) {
            Params.of("session_id", e.sessionId()).dml(tx, "session-clear-waiting");
            state.forgetAgents(e.sessionId());
        } else {
            touchAgent(tx, e, agent);
        }
        count(e.sessionId(), at(e), added);
    }

    /** Writes the agent's row when something about it changed: first sight, waiting, link, name, stop. */
    private void touchAgent(DbExecute tx, IngestEvent e, Agent agent) {
        WriterState.AgentState known = agent.known();
        String waiting = waiting(e);
        boolean stopped = e.kind() == HookKind.SUBAGENT_STOP;
        boolean changed = !known.stored || stopped || "set".equals(waiting) || ("clear".equals(waiting) && known.waiting)
                || !agent.name().equals(known.name) || (agent.delegationId() != null && known.delegationId == null);
        if (!changed) {
            return;
        }
        new Params().with("session_id", e.sessionId()).with("agent_key", e.agentKey()).with("agent_id", agent.name())
                .with("agent_type", e.agentType()).with("delegation_event_id", agent.delegationId())
                .with("status", stopped ? "stopped" : "active").with("at", at(e))
                .with("ended_at", stopped ? at(e) : null)
                .with("waiting", waiting).with("waiting_since", "set".equals(waiting) ? at(e) : null)
                .with("waiting_reason", e.waitingReason())
                .with("waiting_message", "set".equals(waiting) ? e.inputSummary() : null)
                .dml(tx, "agent-touch");
        known.stored = true;
        known.name = agent.name();
        known.delegationId = known.delegationId != null ? known.delegationId : agent.delegationId();
        known.waiting = "set".equals(waiting) || (known.waiting && !"clear".equals(waiting));
    }

    private static Params sessionParams(String sessionId, String firstAt, String at, IngestEvent.SessionFacts facts,
                                        String lifecycle, String endedAt) {
        return new Params().with("session_id", sessionId).with("source_app", facts.sourceApp())
                .with("status", "end".equals(lifecycle) ? "ended" : "active").with("source", facts.source())
                .with("model", facts.model()).with("cwd", facts.cwd()).with("transcript_path", facts.transcriptPath())
                .with("permission_mode", facts.permissionMode()).with("first_at", firstAt).with("at", at)
                .with("ended_at", endedAt).with("end_reason", facts.endReason()).with("lifecycle", lifecycle);
    }

    /** {@code set} when the agent now waits for a human, {@code clear} when it is working again. */
    private static String waiting(IngestEvent e) {
        if (e.waitingReason() != null) {
            return "set";
        }
        return e.kind().isToolCall() || e.kind() == HookKind.USER_PROMPT ? "clear" : "keep";
    }

    private void insert(DbExecute tx, IngestEvent e, Agent agent, String id, String parent, String toolName,
                        String status) {
        eventParams(e, agent, id, parent, toolName, status)
                .with("timestamp", at(e)).with("ended_at", null).with("duration", null)
                .dml(tx, "event-insert");
    }

    private Params eventParams(IngestEvent e, Agent agent, String id, String parent, String toolName, String status) {
        boolean toolCall = e.kind().isToolCall();
        String now = now();
        return new Params().with("event_id", id).with("seq", nextSeq()).with("session_id", e.sessionId())
                .with("agent_id", agent.name()).with("agent_type", e.agentType()).with("agent_key", e.agentKey())
                .with("source", e.source()).with("hook_event_name", e.hookEventName())
                .with("event_type", toolCall && e.isDelegation() ? "delegation" : e.kind().eventType())
                .with("tool_name", toolName).with("tool_use_id", toolCall ? e.toolUseId() : null)
                .with("prompt_id", e.promptId()).with("parent_event_id", parent)
                .with("subagent_type", e.subagentType()).with("spawner_type", null).with("status", status)
                .with("model", e.model() != null ? e.model() : state.session(e.sessionId()).model)
                .with("input_summary", e.inputSummary()).with("output_summary", e.outputSummary())
                .with("payload", e.payload()).with("payload_hash", e.payloadHash()).with("now", now);
    }

    /** Ends a row: {@code withPayload} replaces its payload by this event's (a tool call's result). */
    private void finish(DbExecute tx, IngestEvent e, String id, String status, Double duration, boolean withPayload) {
        new Params().with("event_id", id).with("status", status)
                .with("ended_at", "running".equals(status) ? null : at(e))
                .with("duration", "running".equals(status) ? null : duration)
                .with("output_summary", e.outputSummary()).with("model", e.kind().isToolCall() ? e.model() : null)
                .with("payload", withPayload ? e.payload() : null)
                .with("payload_hash", withPayload ? e.payloadHash() : null)
                .with("seq", nextSeq()).with("now", now())
                .dml(tx, "event-finish");
    }

    private void openCollaboration(DbExecute tx, IngestEvent e, Agent agent, String delegationId) {
        new Params().with("handoff_id", delegationId).with("from_agent", agent.name())
                .with("to_agent", e.subagentType()).with("timestamp", at(e)).with("session_id", e.sessionId())
                .with("reason", e.inputSummary())
                .dml(tx, "collaboration-insert");
    }

    private static void closeCollaboration(DbExecute tx, String delegationId, String status, String result) {
        new Params().with("handoff_id", delegationId).with("status", "error".equals(status) ? "failed" : "completed")
                .with("result", result)
                .dml(tx, "collaboration-finish");
    }

    String newId() {
        return "evt-" + HexFormat.of().toHexDigits(random.nextLong());
    }

    String now() {
        return Timestamps.format(clock.instant());
    }

    private static String at(IngestEvent e) {
        return Timestamps.format(e.at());
    }

    /** The agent an event came from: its display name and, for a subagent, the delegation it serves. */
    private record Agent(String name, String delegationId, WriterState.AgentState known) {
    }

    /** A conversation turn: its UserQuery row and when the prompt came. */
    private record Turn(String id, String at) {
    }
}
