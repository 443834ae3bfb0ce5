package io.htmlgraph.sidecar.query;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import io.helidon.dbclient.DbRow;
import io.htmlgraph.sidecar.store.Database;
import io.htmlgraph.sidecar.store.Params;
import io.htmlgraph.sidecar.store.Rows;
import io.htmlgraph.sidecar.store.Reads;
import io.htmlgraph.sidecar.domain.EventView;
import io.htmlgraph.sidecar.domain.InitialStats;
import io.htmlgraph.sidecar.domain.SessionPage;
import io.htmlgraph.sidecar.domain.SessionStatus;
import io.htmlgraph.sidecar.domain.SessionView;
import io.htmlgraph.sidecar.domain.Timestamps;
import io.htmlgraph.sidecar.domain.Usage;

/** The read side of the store: pages of events and sessions, and the header counts. Reads run concurrently. */
public final class EventQueries {
    private final Reads db;
    private final Clock clock;
    private final Duration idleAfter;
    private final UsageQueries usageQueries;

    public EventQueries(Database database, Clock clock, Duration idleAfter) {
        this.db = database.reads();
        this.clock = clock;
        this.idleAfter = idleAfter;
        this.usageQueries = new UsageQueries(database);
    }

    /** Newest first; either filter may be null. */
    public List<EventView> events(String sessionId, String agentId, int limit, int offset) {
        return events(sessionId, agentId, null, limit, offset);
    }

    /**
     * Newest first, older than {@code before} when it is not null (keyset pagination: a deep page costs what the
     * first does, where a large offset walks every row it skips); either filter may be null.
     */
    public List<EventView> events(String sessionId, String agentId, Cursor before, int limit, int offset) {
        String statement = "events-page" + (sessionId != null ? "-session" : "") + (agentId != null ? "-agent" : "")
                + (before != null ? "-before" : "");
        Params params = new Params().with("limit", limit).with("offset", offset);
        if (before != null) {
            params.with("before_ts", before.at()).with("before_id", before.id());
        }
        if (sessionId != null) {
            params.with("session_id", sessionId);
        }
        if (agentId != null) {
            params.with("agent_id", agentId);
        }
        return params.list(db, statement, reader());
    }

    public boolean sessionExists(String sessionId) {
        return Params.of("session_id", sessionId).get(db.execute(), "session-exists").isPresent();
    }

    public InitialStats initialStats() {
        DbRow totals = db.execute().namedGet("stats-totals").orElseThrow();
        List<String> agents;
        try (Stream<DbRow> rows = db.execute().namedQuery("stats-agents")) {
            agents = rows.map(r -> Rows.text(r, "agent_id")).toList();
        }
        Usage usage = usageQueries.total();
        return new InitialStats(Rows.wholeOr0(totals, "total_events"), agents.size(),
                                Rows.wholeOr0(totals, "total_sessions"), agents, usage.totalTokens(), usage.costUsd(),
                                usage);
    }

    /**
     * Newest first (ties by id), after {@code before} when it is not null (keyset pagination, as for events);
     * {@code status} is null, {@code active}, {@code idle} or {@code ended}.
     */
    public SessionPage sessions(String status, Cursor before, int limit, int offset) {
        SessionsAsked asked = sessionsAsked(status, before, limit, offset);
        List<SessionView> sessions = asked.page().list(db, before == null ? "sessions-page" : "sessions-page-before",
                sessionReader(asked.idleBefore()));
        return new SessionPage(asked.total(), limit, offset, sessions);
    }

    /** As {@link #sessions}, each session with its figures (turns, tool calls, errors, tokens, cost). */
    public SessionList sessionList(String status, Cursor before, int limit, int offset) {
        SessionsAsked asked = sessionsAsked(status, before, limit, offset);
        Reads.RowReader<SessionView> sessions = sessionReader(asked.idleBefore());
        Reads.RowReader<SessionList.Figures> figures = SessionList.Figures.reader();
        return new SessionList(asked.total(), asked.page().list(db, before == null ? "turns-sessions-page"
                : "turns-sessions-page-before", r -> new SessionList.Listed(sessions.read(r), figures.read(r))));
    }

    /** What both session pages start from: when sessions count as idle, how many match, the page's parameters. */
    private record SessionsAsked(String idleBefore, long total, Params page) {
    }

    private SessionsAsked sessionsAsked(String status, Cursor before, int limit, int offset) {
        String idleBefore = Timestamps.format(clock.instant().minus(idleAfter));
        long total = new Params().with("status", status).with("idle_before", idleBefore)
                .get(db.execute(), "sessions-count").map(r -> Rows.wholeOr0(r, "n")).orElse(0L);
        Params page = new Params().with("status", status).with("idle_before", idleBefore).with("limit", limit)
                .with("offset", offset);
        if (before != null) {
            page.with("before_at", before.at()).with("before_id", before.id());
        }
        return new SessionsAsked(idleBefore, total, page);
    }

    /** Reads rows with the columns of {@code event_answers} (any of them) as {@link EventView}s, for one result. */
    static Reads.RowReader<EventView> reader() {
        return new EventReader();
    }

    /**
     * Reads an event's columns by position: through a row of values by name, the mapping was a third of
     * {@code /api/events}' CPU (a JFR profile at 1M events, cache off).
     */
    private static final class EventReader extends Reads.ByPosition<EventView> {
        private static final String[] COLUMNS = {"event_id", "agent_id", "event_type", "timestamp", "tool_name",
            "input_summary", "output_summary", "session_id", "parent_event_id", "status", "model", "seq",
            "hook_event_name", "agent_type", "tool_use_id", "prompt_id", "subagent_type", "spawner_type", "ended_at",
            "execution_duration_seconds", "cost_usd", "feature_id", "source", "api_errors", "input_tokens",
            "output_tokens", "cache_read_tokens", "cache_creation_tokens", "total_tokens", "cost_source"};

        EventReader() {
            super(COLUMNS);
        }

        @Override
        protected EventView read(Reads.Current r, int[] at) throws SQLException {
            Long seq = r.whole(at[11]);
            Double cost = r.real(at[20]);
            Usage usage = UsageQueries.usage(r.whole(at[24]), r.whole(at[25]), r.whole(at[26]), r.whole(at[27]),
                    r.whole(at[28]), cost, r.repeated(at[29]));
            return new EventView(r.text(at[0]), r.repeated(at[1]), r.repeated(at[2]), r.text(at[3]),
                    r.repeated(at[4]), r.text(at[5]), r.text(at[6]), r.repeated(at[7]), r.repeated(at[8]),
                    r.repeated(at[9]), r.repeated(at[10]), seq == null ? 0 : seq, r.repeated(at[12]),
                    r.repeated(at[13]), r.text(at[14]), r.repeated(at[15]), r.repeated(at[16]), r.repeated(at[17]),
                    r.text(at[18]), r.real(at[19]), usage.totalTokens(), cost, r.repeated(at[21]),
                    r.repeated(at[22]), usage.isEmpty() ? null : usage, r.whole(at[23]));
        }
    }

    /**
     * Reads rows with the columns of {@code sessions} as {@link SessionView}s, for one result: an active session
     * whose last event is older than {@code idleBefore} is shown idle.
     */
    static Reads.RowReader<SessionView> sessionReader(String idleBefore) {
        return new SessionReader(idleBefore);
    }

    /** Reads a session's columns by position. */
    private static final class SessionReader extends Reads.ByPosition<SessionView> {
        private static final String[] COLUMNS = {"session_id", "agent_assigned", "continued_from", "started_at",
            "status", "start_commit", "ended_at", "last_event_at", "total_events", "model", "source", "end_reason",
            "source_app", "cwd"};
        private final String idleBefore;

        SessionReader(String idleBefore) {
            super(COLUMNS);
            this.idleBefore = idleBefore;
        }

        @Override
        protected SessionView read(Reads.Current r, int[] at) throws SQLException {
            String status = r.repeated(at[4]);
            String lastEventAt = r.text(at[7]);
            if (SessionStatus.ACTIVE.is(status) && lastEventAt.compareTo(idleBefore) < 0) {
                status = SessionStatus.IDLE.value();
            }
            Long totalEvents = r.whole(at[8]);
            return new SessionView(r.text(at[0]), r.repeated(at[1]), r.text(at[2]), r.text(at[3]), status,
                    r.text(at[5]), r.text(at[6]), lastEventAt, totalEvents == null ? 0 : totalEvents,
                    r.repeated(at[9]), r.repeated(at[10]), r.repeated(at[11]), r.repeated(at[12]),
                    r.repeated(at[13]));
        }
    }

    /**
     * A position in a list ordered newest first by a time: the last item's time and id (a session's {@code started_at}
     * and {@code session_id}, an event's or a spawner run's {@code timestamp} and {@code event_id}).
     */
    public record Cursor(String at, String id) {
    }
}
