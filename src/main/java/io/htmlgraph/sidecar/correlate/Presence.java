package io.htmlgraph.sidecar.correlate;

import java.time.Clock;
import java.util.Optional;

import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.htmlgraph.sidecar.domain.AgentStatus;
import io.htmlgraph.sidecar.domain.HookKind;
import io.htmlgraph.sidecar.domain.IngestEvent;
import io.htmlgraph.sidecar.domain.SessionStatus;
import io.htmlgraph.sidecar.domain.Timestamps;
import io.htmlgraph.sidecar.store.Binder;
import io.htmlgraph.sidecar.store.Rows;

/**
 * Who is at work where: sessions (created on first sight, started and ended, their counters written once per
 * transaction) and the agents in them (the main agent and each subagent, with its delegation and whether it waits
 * for a human). Backed by {@link WriterState}, so that most events read and write nothing here. Writer thread only.
 */
final class Presence {
    /** The agent name of a session's main thread. */
    static final String MAIN_AGENT = "claude-code";
    private static final Binder COUNT = Binder.of("session-count", "added", "at", "now", "session_id");
    private static final Binder STARTED_EARLIER = Binder.of("session-started-earlier", "first_at", "session_id");
    private static final Binder SESSION_STATE = Binder.of("session-state", "session_id");
    private static final Binder SESSION_TOUCH = Binder.of("session-touch", "session_id", "source_app", "status",
            "source", "model", "cwd", "transcript_path", "permission_mode", "first_at", "ended_at", "end_reason", "at",
            "added", "now", "lifecycle");
    private static final Binder CLEAR_WAITING = Binder.of("session-clear-waiting", "session_id");
    private static final Binder AGENT = Binder.of("agent-get", "session_id", "agent_key");
    private static final Binder UNLINKED_DELEGATION = Binder.of("delegation-unlinked", "session_id",
            "subagent_type");
    private static final Binder AGENT_TOUCH = Binder.of("agent-touch", "session_id", "agent_key", "agent_id",
            "agent_type", "delegation_event_id", "status", "at", "ended_at", "waiting_since", "waiting_reason",
            "waiting_message", "waiting");

    private final Clock clock;
    private final WriterState state = new WriterState();

    Presence(Clock clock) {
        this.clock = clock;
    }

    /**
     * Writes the session counters of the transaction; called just before it commits. Two updates rather than the
     * session-touch upsert: an indexed column that an UPDATE assigns is rewritten in its index even when its value
     * stays the same, and the start time (two indexes) changes only when events arrive out of order.
     */
    void beforeCommit(DbExecute tx) {
        String now = Timestamps.format(clock.instant());
        state.drainDeltas().forEach((sessionId, delta) -> {
            COUNT.dml(tx, delta.added, delta.lastAt, now, sessionId);
            STARTED_EARLIER.dml(tx, delta.firstAt, sessionId);
        });
    }

    /** The transaction failed: forget everything remembered. */
    void transactionFailed() {
        state.reset();
    }

    /** Who sent the event: the main agent, or a subagent linked to the delegation that started it. */
    Agent agent(DbExecute tx, IngestEvent e) {
        WriterState.AgentState known = knownAgent(tx, e);
        if (!e.inSubagent()) {
            return new Agent(e.agentType() != null ? e.agentType() : MAIN_AGENT, null, known);
        }
        String delegation = known.delegationId;
        String name = e.agentType() != null ? e.agentType() : known.name;
        if (delegation == null) {
            // Claude Code links a subagent to its Agent call only by type: take the oldest open, unlinked one.
            Optional<DbRow> open = UNLINKED_DELEGATION.get(tx, e.sessionId(), e.agentType());
            delegation = open.map(r -> Rows.text(r, "event_id")).orElse(null);
            name = name != null ? name : open.map(r -> Rows.text(r, "subagent_type")).orElse(null);
        }
        return new Agent(name != null ? name : "subagent", delegation, known);
    }

    private WriterState.AgentState knownAgent(DbExecute tx, IngestEvent e) {
        WriterState.AgentState known = state.agent(e.sessionId(), e.agentKey());
        if (known == null) {
            known = new WriterState.AgentState();
            Optional<DbRow> row = AGENT.get(tx, e.sessionId(), e.agentKey());
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

    WriterState.SessionState session(DbExecute tx, IngestEvent e) {
        WriterState.SessionState known = state.session(e.sessionId());
        // the event's time is formatted only for a session not yet remembered (asked for 3-4 times per event)
        return known != null ? known : session(tx, e.sessionId(), Timestamps.format(e.at()), e.sessionFacts());
    }

    /** The session's remembered state, created in the store on first sight (with {@code facts}, if any). */
    WriterState.SessionState session(DbExecute tx, String sessionId, String at, IngestEvent.SessionFacts facts) {
        WriterState.SessionState session = state.session(sessionId);
        if (session != null) {
            return session;
        }
        session = new WriterState.SessionState();
        Optional<DbRow> row = SESSION_STATE.get(tx, sessionId);
        if (row.isPresent()) {
            session.model = Rows.text(row.get(), "model");
            session.turnId = Rows.text(row.get(), "turn_id");
            session.turnAt = Rows.text(row.get(), "turn_at");
            session.feature = Rows.text(row.get(), "active_feature_id");
            session.turnFeature = Rows.text(row.get(), "turn_feature");
        } else {
            touchSession(tx, sessionId, at, facts != null ? facts : IngestEvent.SessionFacts.NONE, "none", null);
        }
        state.remember(sessionId, session);
        return session;
    }

    /** Counts a row against its session (written at commit). */
    void count(String sessionId, String at, int added) {
        state.count(sessionId, at, added);
    }

    /**
     * Records that the session and the agent were active; {@code added} is the number of new event rows.
     * Session lifecycle events and agent state changes are written at once, the session counters at commit.
     */
    void touch(DbExecute tx, IngestEvent e, Agent agent, int added) {
        WriterState.SessionState session = session(tx, e);
        boolean end = e.kind() == HookKind.SESSION_END;
        if (end || e.kind() == HookKind.SESSION_START) {
            String at = Timestamps.format(e.at());
            touchSession(tx, e.sessionId(), at, e.sessionFacts(), end ? "end" : "start", end ? at : null);
            session.model = e.sessionFacts().model() != null ? e.sessionFacts().model() : session.model;
        }
        if (end) {
            CLEAR_WAITING.dml(tx, e.sessionId());
            state.forgetAgents(e.sessionId());
        } else {
            touchAgent(tx, e, agent);
        }
        count(e.sessionId(), Timestamps.format(e.at()), added);
    }

    /** Writes the agent's row when something about it changed: first sight, waiting, link, name, stop. */
    private void touchAgent(DbExecute tx, IngestEvent e, Agent agent) {
        WriterState.AgentState known = agent.known();
        String waiting = waiting(e);
        boolean stopped = e.kind() == HookKind.SUBAGENT_STOP;
        boolean changed = !known.stored || stopped || "set".equals(waiting)
                || ("clear".equals(waiting) && known.waiting)
                || !agent.name().equals(known.name) || (agent.delegationId() != null && known.delegationId == null);
        if (!changed) {
            return;
        }
        String at = Timestamps.format(e.at());
        AGENT_TOUCH.dml(tx, e.sessionId(), e.agentKey(), agent.name(), e.agentType(), agent.delegationId(),
                (stopped ? AgentStatus.STOPPED : AgentStatus.ACTIVE).value(), at, stopped ? at : null,
                "set".equals(waiting) ? at : null, e.waitingReason(), "set".equals(waiting) ? e.inputSummary() : null,
                waiting);
        known.stored = true;
        known.name = agent.name();
        known.delegationId = known.delegationId != null ? known.delegationId : agent.delegationId();
        known.waiting = "set".equals(waiting) || (known.waiting && !"clear".equals(waiting));
    }

    /** Creates the session's row, or (lifecycle {@code start}, {@code end}) starts or ends it, with its facts. */
    private void touchSession(DbExecute tx, String sessionId, String at, IngestEvent.SessionFacts facts,
                              String lifecycle, String endedAt) {
        SESSION_TOUCH.dml(tx, sessionId, facts.sourceApp(),
                ("end".equals(lifecycle) ? SessionStatus.ENDED : SessionStatus.ACTIVE).value(), facts.source(),
                facts.model(), facts.cwd(), facts.transcriptPath(), facts.permissionMode(), at, endedAt,
                facts.endReason(), at, 0, Timestamps.format(clock.instant()), lifecycle);
    }

    /** {@code set} when the agent now waits for a human, {@code clear} when it is working again. */
    private static String waiting(IngestEvent e) {
        if (e.waitingReason() != null) {
            return "set";
        }
        return e.kind().isToolCall() || e.kind() == HookKind.USER_PROMPT ? "clear" : "keep";
    }

    /** The agent an event came from: its display name and, for a subagent, the delegation it serves. */
    record Agent(String name, String delegationId, WriterState.AgentState known) {
    }

}
