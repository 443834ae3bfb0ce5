package io.htmlgraph.sidecar.query;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.helidon.dbclient.DbRow;

import io.htmlgraph.sidecar.store.Database;
import io.htmlgraph.sidecar.store.Params;
import io.htmlgraph.sidecar.store.Rows;
import io.htmlgraph.sidecar.store.Reads;

/**
 * The aggregates behind the database-derived metrics, from small tables ({@code event_counts}, kept by triggers;
 * the sessions tables; features) and from partial indexes that hold only errors, spawner runs and rows with tokens
 * or cost: none reads every event.
 */
public final class MetricsQueries {
    private final Reads db;

    public MetricsQueries(Database database) {
        this.db = database.reads();
    }

    /** Events of one agent and type, and the newest of their times. */
    public record EventCount(String agent, String type, long count, String lastAt) {
    }

    /** Sessions an agent (or spawner type) worked in and when it was last seen. */
    public record Presence(String agent, long sessions, String lastAt) {
    }

    /** Tokens by kind and cost of one agent with one model. */
    public record Usage(String agent, String model, long input, long output, long cacheRead, long cacheCreation,
                        long unspecified, double costUsd) {
    }

    /** One tool's calls linked to the requests that asked for them, and the sum of their shares. */
    public record ToolTotals(String tool, long calls, double tokens, double costUsd) {
    }

    /** Sessions by state, as {@code /api/sessions?status=} counts them. */
    public record SessionCounts(long active, long idle, long ended) {
    }

    /** Events per agent and type ({@code event_counts}, kept by triggers). */
    public List<EventCount> eventCounts() {
        try (Stream<DbRow> rows = db.execute().namedQuery("metrics-event-counts")) {
            return rows.map(r -> new EventCount(Rows.text(r, "agent_id"), Rows.text(r, "event_type"),
                                                Rows.wholeOr0(r, "events"), Rows.text(r, "last_at"))).toList();
        }
    }

    /** Per agent of {@code /api/initial-stats} (subagent types, the main agent, spawner types). */
    public List<Presence> presence() {
        try (Stream<DbRow> rows = db.execute().namedQuery("metrics-agent-presence")) {
            return rows.map(r -> new Presence(Rows.text(r, "agent_id"), Rows.wholeOr0(r, "sessions"),
                                              Rows.text(r, "last_at"))).toList();
        }
    }

    /** Tokens and cost per agent and model, from the rows that carry them ({@code idx_agent_events_usage}). */
    public List<Usage> usage() {
        return usage("metrics-usage");
    }

    /** Per tool: its calls' shares of the API requests that asked for them ({@code tool_totals}, kept by triggers). */
    public List<ToolTotals> tools() {
        try (Stream<DbRow> rows = db.execute().namedQuery("metrics-tool-totals")) {
            // sums of shares carry binary fractions: the cost to the nano-dollar
            return rows.map(r -> new ToolTotals(Rows.text(r, "tool_name"), Rows.wholeOr0(r, "calls"),
                    Rows.real(r, "tokens"), Math.round(Rows.real(r, "cost_usd") * 1e9) / 1e9)).toList();
        }
    }

    private List<Usage> usage(String statement) {
        try (Stream<DbRow> rows = db.execute().namedQuery(statement)) {
            return rows.map(r -> {
                Double cost = Rows.real(r, "cost_usd");
                return new Usage(Rows.text(r, "agent_id"), Rows.text(r, "model"), Rows.wholeOr0(r, "input_tokens"),
                        Rows.wholeOr0(r, "output_tokens"), Rows.wholeOr0(r, "cache_read_tokens"),
                        Rows.wholeOr0(r, "cache_creation_tokens"), Rows.wholeOr0(r, "unspecified_tokens"),
                        cost == null ? 0 : cost);
            }).toList();
        }
    }

    /** @param idleBefore sessions with no event since then count as idle */
    public SessionCounts sessions(String idleBefore) {
        DbRow r = Params.of("idle_before", idleBefore).get(db.execute(), "metrics-sessions").orElseThrow();
        return new SessionCounts(Rows.wholeOr0(r, "active"), Rows.wholeOr0(r, "idle"), Rows.wholeOr0(r, "ended"));
    }

    /** Events that ended in error, per agent. */
    public Map<String, Long> errors() {
        try (Stream<DbRow> rows = db.execute().namedQuery("metrics-errors")) {
            return rows.collect(Collectors.toMap(r -> Rows.text(r, "agent_id"), r -> Rows.wholeOr0(r, "n")));
        }
    }

    /** Stored turns (prompts) by status: started, completed, error, interrupted. */
    public Map<String, Long> turns() {
        try (Stream<DbRow> rows = db.execute().namedQuery("ops-turns-by-status")) {
            return rows.collect(Collectors.toMap(r -> Rows.text(r, "status"), r -> Rows.wholeOr0(r, "n")));
        }
    }

    /** Errors among the events retention pruned, per agent (from the daily roll-ups). */
    public Map<String, Long> prunedErrors() {
        try (Stream<DbRow> rows = db.execute().namedQuery("ops-pruned-errors")) {
            return rows.collect(Collectors.toMap(r -> Rows.text(r, "agent_id"), r -> Rows.wholeOr0(r, "n")));
        }
    }

    /** Tokens and cost of the events retention pruned, per agent and model. */
    public List<Usage> prunedUsage() {
        return usage("ops-pruned-usage");
    }

    /** Spawner runs retention pruned, per spawner type: runs, successes, failures, seconds, tokens, cost. */
    public record PrunedSpawner(String type, long runs, long successes, long failures, double seconds, long tokens,
                                double costUsd) {
    }

    public List<PrunedSpawner> prunedSpawners() {
        try (Stream<DbRow> rows = db.execute().namedQuery("ops-pruned-spawners")) {
            return rows.map(r -> new PrunedSpawner(Rows.text(r, "spawner_type"), Rows.wholeOr0(r, "total"),
                    Rows.wholeOr0(r, "successful"), Rows.wholeOr0(r, "failed"),
                    orZero(Rows.real(r, "duration_seconds")),
                    Rows.wholeOr0(r, "total_tokens"), orZero(Rows.real(r, "total_cost")))).toList();
        }
    }

    private static double orZero(Double value) {
        return value == null ? 0 : value;
    }

    /** Features per status (statuses without features are absent). */
    public Map<String, Long> features() {
        try (Stream<DbRow> rows = db.execute().namedQuery("metrics-features")) {
            return rows.collect(Collectors.toMap(r -> Rows.text(r, "status"), r -> Rows.wholeOr0(r, "n")));
        }
    }

    /** Agents of active sessions waiting for a human (as {@code /api/attention} lists them). */
    public long waitingAgents() {
        return db.execute().namedGet("metrics-waiting").map(r -> Rows.wholeOr0(r, "n")).orElse(0L);
    }
}
