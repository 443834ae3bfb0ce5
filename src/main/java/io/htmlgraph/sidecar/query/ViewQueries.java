package io.htmlgraph.sidecar.query;

import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import io.helidon.dbclient.DbRow;
import io.htmlgraph.sidecar.store.Database;
import io.htmlgraph.sidecar.store.Params;
import io.htmlgraph.sidecar.store.Rows;
import io.htmlgraph.sidecar.store.Reads;
import io.htmlgraph.sidecar.domain.SpawnerActivity;
import io.htmlgraph.sidecar.domain.Timestamps;
import io.htmlgraph.sidecar.domain.TreeRow;

/**
 * The figures the dashboard shows that no JSON route has: an agent's recent success rate, activity over time, tool
 * latency, who delegates to whom, running spawns. Each statement reads a bounded slice (a LIMIT on an index, or the
 * summary rows the triggers of migration 10 keep: one per minute, one per delegating pair), so a view costs the same
 * on a store of a million events as on a small one.
 */
public final class ViewQueries {
    private static final List<String> BUCKETS = List.of("b0", "b1", "b2", "b3", "b4", "b5");

    private final Reads db;

    public ViewQueries(Database database) {
        this.db = database.reads();
    }

    /** An agent's newest tool calls: how many, how many succeeded or failed, and their average duration. */
    public record AgentRecent(long calls, long successes, long errors, Double avgDuration) {
    }

    /** Events in one minute or hour ({@code bucket}: the timestamp's prefix, e.g. {@code 2026-11-30T20:55}). */
    public record Bucket(String bucket, long events) {
    }

    /** Delegations from one agent to another, all of them (retention pruning takes its own back). */
    public record Edge(String from, String to, long delegations) {
    }

    /** Tool calls by duration: under 0.1 s, 0.5 s, 1 s, 5 s, 30 s, and longer; and how many failed. */
    public record Latency(long calls, long errors, List<Long> buckets) {
    }

    /** A spawner run still going, and the phase it last reported. */
    public record RunningSpawn(String eventId, String spawnerType, String sessionId, String startedAt, String task,
                               String phase, Double progress) {
    }

    /** The header's store totals: events and sessions (store_totals), agents known (as /api/initial-stats counts). */
    public record Totals(long events, long sessions, long agents) {
    }

    public Totals totals() {
        DbRow t = db.execute().namedGet("stats-totals").orElseThrow();
        long agents;
        try (Stream<DbRow> rows = db.execute().namedQuery("stats-agents")) {
            agents = rows.count();
        }
        return new Totals(Rows.wholeOr0(t, "total_events"), Rows.wholeOr0(t, "total_sessions"), agents);
    }

    /**
     * An agent's newest tool calls and delegations: whole minutes back until at least {@code limit} of them (the
     * minute rows are read newest first and no further than needed).
     */
    public AgentRecent agentRecent(String agentId, int limit) {
        long calls = 0;
        long successes = 0;
        long errors = 0;
        long timed = 0;
        double seconds = 0;
        try (Stream<DbRow> rows = new Params().with("agent_id", agentId).with("limit", limit)
                .query(db.execute(), "view-agent-recent")) {
            Iterator<DbRow> minutes = rows.iterator();
            while (calls < limit && minutes.hasNext()) {
                DbRow r = minutes.next();
                calls += Rows.wholeOr0(r, "calls");
                successes += Rows.wholeOr0(r, "successes");
                errors += Rows.wholeOr0(r, "errors");
                timed += Rows.wholeOr0(r, "timed");
                Double s = Rows.real(r, "seconds");
                seconds += s == null ? 0 : s;
            }
        }
        return new AgentRecent(calls, successes, errors, timed == 0 ? null : seconds / timed);
    }

    /** Events per minute ({@code perMinute}) or per hour from the minute of {@code since} on, oldest bucket first. */
    public List<Bucket> activity(Instant since, boolean perMinute) {
        try (Stream<DbRow> rows = new Params().with("width", perMinute ? 16 : 13)
                .with("since", Timestamps.format(since).substring(0, 16))
                .query(db.execute(), "view-activity-buckets")) {
            return rows.map(r -> new Bucket(Rows.text(r, "bucket"), Rows.wholeOr0(r, "n"))).toList();
        }
    }

    /**
     * The newest finished tool calls by duration: whole minutes back until at least {@code limit} calls (the rows are
     * read newest first and no further than needed).
     */
    public Latency latency(int limit) {
        long calls = 0;
        long errors = 0;
        long[] buckets = new long[BUCKETS.size()];
        try (Stream<DbRow> rows = Params.of("limit", limit).query(db.execute(), "view-tool-latency")) {
            Iterator<DbRow> minutes = rows.iterator();
            while (calls < limit && minutes.hasNext()) {
                DbRow r = minutes.next();
                calls += Rows.wholeOr0(r, "calls");
                errors += Rows.wholeOr0(r, "errors");
                for (int i = 0; i < buckets.length; i++) {
                    buckets[i] += Rows.wholeOr0(r, BUCKETS.get(i));
                }
            }
        }
        return new Latency(calls, errors, Arrays.stream(buckets).boxed().toList());
    }

    /** Every pair of agents where one delegated to the other, with how often. */
    public List<Edge> delegationEdges() {
        try (Stream<DbRow> rows = db.execute().namedQuery("view-delegation-edges")) {
            return rows.map(r -> new Edge(Rows.text(r, "from_agent"), Rows.text(r, "to_agent"),
                    Rows.wholeOr0(r, "delegations"))).toList();
        }
    }

    public List<RunningSpawn> runningSpawns(int limit) {
        try (Stream<DbRow> rows = Params.of("limit", limit).query(db.execute(), "view-spawner-running")) {
            return rows.map(r -> new RunningSpawn(Rows.text(r, "event_id"), Rows.text(r, "spawner_type"),
                    Rows.text(r, "session_id"), Rows.text(r, "timestamp"), Rows.text(r, "input_summary"),
                    Rows.text(r, "phase"), Rows.real(r, "progress"))).toList();
        }
    }

    /** Sessions per agent (subagent types, the main agent, spawner types) and when each was last seen. */
    public List<MetricsQueries.Presence> presence() {
        try (Stream<DbRow> rows = db.execute().namedQuery("view-agent-presence")) {
            return rows.map(r -> new MetricsQueries.Presence(Rows.text(r, "agent_id"), Rows.wholeOr0(r, "sessions"),
                    Rows.text(r, "last_at"))).toList();
        }
    }

    /** The newest spawner runs (as {@code /api/spawner-activities} shows them). */
    public List<SpawnerActivity> recentSpawns(int limit) {
        try (Stream<DbRow> rows = Params.of("limit", limit).query(db.execute(), "view-spawner-recent")) {
            return rows.map(ReportQueries::spawnerActivity).toList();
        }
    }

    /** One turn's root row (a prompt), if {@code eventId} is one. */
    public Optional<TreeRow> turn(String eventId) {
        return Params.of("event_id", eventId).list(db, "view-turn-get", TreeQueries.reader()).stream().findFirst();
    }

    /** The newest sessions' ids (for filters). */
    public List<String> sessionIds(int limit) {
        try (Stream<DbRow> rows = Params.of("limit", limit).query(db.execute(), "view-session-ids")) {
            return rows.map(r -> Rows.text(r, "session_id")).toList();
        }
    }
}
