package io.htmlgraph.sidecar.query;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

import io.helidon.dbclient.DbRow;
import io.htmlgraph.sidecar.store.Database;
import io.htmlgraph.sidecar.store.Params;
import io.htmlgraph.sidecar.store.Rows;
import io.htmlgraph.sidecar.store.Reads;
import io.htmlgraph.sidecar.domain.Attention;
import io.htmlgraph.sidecar.domain.Delegation;
import io.htmlgraph.sidecar.domain.EventView;
import io.htmlgraph.sidecar.domain.HandoffStatus;
import io.htmlgraph.sidecar.domain.SessionTotals;
import io.htmlgraph.sidecar.domain.SessionView;
import io.htmlgraph.sidecar.domain.SpawnerActivity;
import io.htmlgraph.sidecar.domain.SpawnerStatistics;
import io.htmlgraph.sidecar.domain.Timestamps;
import io.htmlgraph.sidecar.domain.Usage;

/** Reads behind the reports: activity feed, delegations, spawner runs, one session, attention, export. */
public final class ReportQueries {
    /** Failed tool calls of one agent within this window, at least {@link #FAILING_ERRORS} of them, mean "failing". */
    private static final Duration FAILING_WINDOW = Duration.ofMinutes(15);
    private static final int FAILING_ERRORS = 3;
    private static final int ATTENTION_LIMIT = 100;
    /** The tool calls a session's totals list by cost. */
    private static final int COSTLIEST_TOOL_CALLS = 10;

    private final Reads db;
    private final Clock clock;
    private final Duration idleAfter;
    private final UsageQueries usage;

    public ReportQueries(Database database, Clock clock, Duration idleAfter) {
        this.db = database.reads();
        this.clock = clock;
        this.idleAfter = idleAfter;
        this.usage = new UsageQueries(database);
    }

    public List<EventView> activity(String sessionId, boolean includeDelegations, int limit) {
        Params params = new Params().with("include_delegations", includeDelegations ? 1 : 0).with("limit", limit);
        if (sessionId != null) {
            params.with("session_id", sessionId);
        }
        String statement = sessionId == null ? "activity-page" : "activity-page-session";
        return params.list(db, statement, EventQueries.reader());
    }

    public List<Delegation> delegations(String sessionId, int limit) {
        String statement = sessionId == null ? "collaboration-page" : "collaboration-page-session";
        return new Params().with("limit", limit).with("session_id", sessionId)
                .list(db, statement, new DelegationReader());
    }

    /**
     * Reads the rows of the collaboration pages (up to 1,000 for the orchestration report) off the result, each
     * column looked up by name once per result.
     */
    private static final class DelegationReader extends Reads.ByPosition<Delegation> {
        DelegationReader() {
            super("handoff_id", "from_agent", "to_agent", "timestamp", "session_id", "event_status", "status",
                  "reason");
        }

        @Override
        protected Delegation read(Reads.Current r, int[] at) throws SQLException {
            String event = r.repeated(at[5]);
            return new Delegation(r.text(at[0]), r.repeated(at[1]), r.repeated(at[2]), r.text(at[3]),
                    r.repeated(at[4]), event != null ? event : handoffStatus(r.repeated(at[6])), r.text(at[7]));
        }

        /** For a handoff imported without its delegation row: what htmlgraph's handoff status means. */
        private static String handoffStatus(String handoff) {
            return HandoffStatus.valueOf(handoff.toUpperCase(Locale.ROOT)).asEventStatus().value();
        }
    }

    public long delegationCount() {
        return db.execute().namedGet("collaboration-count").map(r -> Rows.wholeOr0(r, "n")).orElse(0L);
    }

    /** Newest first (ties by id), after {@code before} when it is not null. */
    public List<SpawnerActivity> spawnerActivities(String spawnerType, String sessionId, EventQueries.Cursor before,
                                                   int limit, int offset) {
        try (Stream<DbRow> rows = new Params().with("spawner_type", spawnerType).with("session_id", sessionId)
                .with("before_at", before == null ? null : before.at())
                .with("before_id", before == null ? null : before.id())
                .with("limit", limit).with("offset", offset).query(db.execute(), "spawner-activities")) {
            return rows.map(ReportQueries::spawnerActivity).toList();
        }
    }

    static SpawnerActivity spawnerActivity(DbRow r) {
        return new SpawnerActivity(Rows.text(r, "event_id"), Rows.text(r, "orchestrator_agent"),
                Rows.text(r, "spawner_type"), Rows.text(r, "spawner_type"), Rows.text(r, "tool_name"),
                Rows.text(r, "input_summary"), Rows.text(r, "output_summary"), Rows.text(r, "status"),
                Rows.real(r, "execution_duration_seconds"), Rows.whole(r, "total_tokens"),
                Rows.real(r, "cost_usd"), List.of(), Rows.text(r, "timestamp"), Rows.text(r, "created_at"));
    }

    public long spawnerCount(String spawnerType, String sessionId) {
        return new Params().with("spawner_type", spawnerType).with("session_id", sessionId)
                .get(db.execute(), "spawner-count").map(r -> Rows.wholeOr0(r, "n")).orElse(0L);
    }

    public List<SpawnerStatistics> spawnerStatistics(String sessionId) {
        try (Stream<DbRow> rows = Params.of("session_id", sessionId).query(db.execute(), "spawner-statistics")) {
            return rows.map(r -> {
                long total = Rows.wholeOr0(r, "total");
                long successful = Rows.wholeOr0(r, "successful");
                Double cost = Rows.real(r, "total_cost");
                return new SpawnerStatistics(Rows.text(r, "spawner_type"), total, successful,
                        Rows.wholeOr0(r, "failed"), total == 0 ? 0 : Math.round(1000.0 * successful / total) / 10.0,
                        Rows.real(r, "avg_duration"), Rows.wholeOr0(r, "total_tokens"), cost == null ? 0 : cost,
                        Rows.text(r, "first_used"), Rows.text(r, "last_used"));
            }).toList();
        }
    }

    public Optional<SessionView> session(String sessionId) {
        String idleBefore = idleBefore();
        return Params.of("session_id", sessionId).list(db, "session-get", EventQueries.sessionReader(idleBefore))
                .stream().findFirst();
    }

    public SessionTotals sessionTotals(String sessionId) {
        // Counts from the session's summary row (kept by the writer, migration 10): no pass over its events.
        Optional<DbRow> counts = Params.of("session_id", sessionId).get(db.execute(), "turns-session-summary");
        // Tokens and cost from the usage view: every request once, those still waiting for their turn included.
        Usage u = usage.session(sessionId);
        SessionTotals.Tokens tokens = new SessionTotals.Tokens(u.inputTokens(), u.outputTokens(),
                u.cacheReadTokens(), u.cacheCreationTokens(), u.totalTokens());
        List<UsageQueries.ToolCallShare> calls = usage.sessionToolCalls(sessionId);
        List<SessionTotals.ModelUsage> models = usage.sessionModels(sessionId).stream()
                .map(k -> new SessionTotals.ModelUsage(k.key(), k.usage())).toList();
        return new SessionTotals(count(counts, "events"), count(counts, "tool_calls"), count(counts, "errors"),
                count(counts, "turns"), u.isEmpty() ? null : tokens, u.costUsd(),
                u.isEmpty() ? null : u, models, byTool(calls), costliest(calls));
    }

    /** The calls' shares summed per tool, costliest first. */
    private static List<SessionTotals.ToolUsage> byTool(List<UsageQueries.ToolCallShare> calls) {
        Map<String, ToolSum> tools = new HashMap<>();
        calls.forEach(c -> tools.computeIfAbsent(c.toolName(), ToolSum::new).add(c));
        return tools.values().stream().map(ToolSum::usage)
                .sorted(Comparator.comparing((SessionTotals.ToolUsage t) -> t.usage().costUsd(),
                                             Comparator.nullsLast(Comparator.reverseOrder()))
                        .thenComparing(t -> t.usage().totalTokens(), Comparator.nullsLast(Comparator.reverseOrder()))
                        .thenComparing(SessionTotals.ToolUsage::toolName))
                .toList();
    }

    /** One tool's calls' shares, summed unrounded. */
    private static final class ToolSum {
        private final String tool;
        private final Set<String> costSources = new HashSet<>();
        private long calls;
        private double input;
        private double output;
        private double cacheRead;
        private double cacheCreation;
        private Double cost;

        ToolSum(String tool) {
            this.tool = tool;
        }

        void add(UsageQueries.ToolCallShare c) {
            calls++;
            input += c.input();
            output += c.output();
            cacheRead += c.cacheRead();
            cacheCreation += c.cacheCreation();
            if (c.costUsd() != null) {
                cost = (cost == null ? 0 : cost) + c.costUsd();
            }
            if (c.costSource() != null) {
                costSources.add(c.costSource());
            }
        }

        SessionTotals.ToolUsage usage() {
            String source = costSources.size() > 1 ? "mixed" : costSources.stream().findFirst().orElse(null);
            return new SessionTotals.ToolUsage(tool, calls, UsageQueries.usage(Math.round(input), Math.round(output),
                    Math.round(cacheRead), Math.round(cacheCreation),
                    Math.round(input + output + cacheRead + cacheCreation), cost, source));
        }
    }

    /** The costliest calls, each with its share. */
    private static List<SessionTotals.ToolCallCost> costliest(List<UsageQueries.ToolCallShare> calls) {
        return calls.stream().sorted(Comparator.comparing(UsageQueries.ToolCallShare::costUsd,
                        Comparator.nullsLast(Comparator.reverseOrder()))
                .thenComparing(c -> -c.tokens())
                .thenComparing(UsageQueries.ToolCallShare::toolUseId))
                .limit(COSTLIEST_TOOL_CALLS)
                .map(c -> new SessionTotals.ToolCallCost(c.eventId(), c.toolUseId(), c.toolName(), c.inputSummary(),
                        c.requestId(), c.model(), c.calls(), Math.round(c.tokens()), UsageQueries.cost(c.costUsd()),
                        c.costSource()))
                .toList();
    }

    /** A session's tool calls' shares (USD) of the API requests that asked for them, by event id. */
    public Map<String, Double> toolCallShares(String sessionId) {
        Map<String, Double> shares = new HashMap<>();
        for (UsageQueries.ToolCallShare c : usage.sessionToolCalls(sessionId)) {
            if (c.eventId() != null && c.costUsd() != null) {
                shares.put(c.eventId(), UsageQueries.cost(c.costUsd()));
            }
        }
        return shares;
    }

    /** A session's API request figures per turn (subagents' included), by the turn's event id. */
    public Map<String, Usage> turnUsage(String sessionId) {
        return usage.sessionTurns(sessionId);
    }

    /**
     * A session's events with their stored payloads, oldest first, from the one after {@code after},
     * handed to {@code sink} one at a time until it answers false or {@code limit} were read.
     */
    public void export(String sessionId, ExportKey after, int limit, Predicate<ExportRow> sink) {
        Params.of("session_id", sessionId).with("after_at", after.at()).with("after_row", after.row())
                .with("limit", limit).each(db, "session-export-page", new ExportReader(), sink);
    }

    /** An event and its stored payload. */
    private static final class ExportReader extends Reads.ByPosition<ExportRow> {
        private final Reads.RowReader<EventView> events = EventQueries.reader();

        ExportReader() {
            super("payload", "event_row");
        }

        @Override
        protected ExportRow read(Reads.Current r, int[] at) throws SQLException {
            return new ExportRow(events.read(r), r.text(at[0]), r.whole(at[1]));
        }
    }

    /** One exported event: its API fields, the stored raw payload (JSON text) and its row. */
    public record ExportRow(EventView event, String payload, long row) {
        public ExportKey key() {
            return new ExportKey(event.timestamp(), row);
        }
    }

    /** Where an export's page starts: after the event of this time and row ({@link #FIRST}: at the first event). */
    public record ExportKey(String at, long row) {
        public static final ExportKey FIRST = new ExportKey("", 0);
    }

    public Attention attention() {
        String now = Timestamps.format(clock.instant());
        List<Attention.Waiting> waiting;
        try (Stream<DbRow> rows = Params.of("limit", ATTENTION_LIMIT).query(db.execute(), "attention-waiting")) {
            waiting = rows.map(r -> new Attention.Waiting(Rows.text(r, "session_id"), Rows.text(r, "agent_id"),
                    emptyToNull(Rows.text(r, "agent_key")), Rows.text(r, "waiting_since"),
                    Rows.text(r, "waiting_reason"), Rows.text(r, "waiting_message"))).toList();
        }
        List<Attention.Failing> failing;
        try (Stream<DbRow> rows = new Params().with("since", Timestamps.format(clock.instant().minus(FAILING_WINDOW)))
                .with("min_errors", FAILING_ERRORS).with("limit", ATTENTION_LIMIT)
                .query(db.execute(), "attention-failing")) {
            failing = rows.map(r -> new Attention.Failing(Rows.text(r, "session_id"), Rows.text(r, "agent_id"),
                    Rows.wholeOr0(r, "errors"), Rows.text(r, "last_error_at"), Rows.text(r, "last_error"))).toList();
        }
        List<Attention.Idle> idle;
        try (Stream<DbRow> rows = new Params().with("idle_before", idleBefore()).with("limit", ATTENTION_LIMIT)
                .query(db.execute(), "attention-idle")) {
            idle = rows.map(r -> new Attention.Idle(Rows.text(r, "session_id"), Rows.text(r, "agent_assigned"),
                    Rows.text(r, "last_event_at"))).toList();
        }
        return new Attention(now, waiting, failing, idle);
    }

    private String idleBefore() {
        return Timestamps.format(clock.instant().minus(idleAfter));
    }

    private static long count(Optional<DbRow> row, String column) {
        return row.map(r -> Rows.wholeOr0(r, column)).orElse(0L);
    }

    private static String emptyToNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }
}
