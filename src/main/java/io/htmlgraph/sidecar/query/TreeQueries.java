package io.htmlgraph.sidecar.query;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.dbclient.DbRow;
import io.htmlgraph.sidecar.store.Database;
import io.htmlgraph.sidecar.store.Params;
import io.htmlgraph.sidecar.store.Rows;
import io.htmlgraph.sidecar.store.Reads;
import io.htmlgraph.sidecar.domain.TreeRow;
import io.htmlgraph.sidecar.domain.Usage;

/**
 * Pages of roots (turns, delegations) and all their descendants in one recursive query, so a tree of any depth
 * costs two queries whatever its size.
 */
public final class TreeQueries {
    /** Deeper nesting than this is cut (and a cycle can never loop). */
    public static final int MAX_DEPTH = 64;
    /** How many of an agent's newest events are traced up to their turns, per turn asked for. */
    public static final int AGENT_SCAN_PER_TURN = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Reads db;

    public TreeQueries(Database database) {
        this.db = database.reads();
    }

    /** The newest prompts (turn roots), optionally of one session. */
    public List<TreeRow> turns(String sessionId, int limit) {
        return roots(sessionId == null ? "turns-page" : "turns-page-session", sessionId, limit);
    }

    /**
     * The newest turns in which {@code agentId} worked, found from that agent's newest events upwards
     * ({@value #AGENT_SCAN_PER_TURN} per turn asked for, so a turn older than those is not found), optionally of one
     * session.
     */
    public List<TreeRow> turnsOfAgent(String agentId, String sessionId, int limit) {
        try (Stream<DbRow> rows = new Params().with("agent_id", agentId).with("session_id", sessionId)
                .with("scan", limit * AGENT_SCAN_PER_TURN).with("max_depth", MAX_DEPTH).with("limit", limit)
                .query(db.execute(), "turns-page-agent")) {
            return rows.map(r -> row(r, 0)).toList();
        }
    }

    /** The newest delegations (Agent/Task calls and spawner runs), optionally of one session. */
    public List<TreeRow> delegations(String sessionId, int limit) {
        return roots(sessionId == null ? "delegations-page" : "delegations-page-session", sessionId, limit);
    }

    /** Every descendant of the given roots, depth 1 for their children, oldest first. */
    public List<TreeRow> descendants(List<String> rootIds) {
        if (rootIds.isEmpty()) {
            return List.of();
        }
        try (Stream<DbRow> rows = new Params().with("roots", JSON.writeValueAsString(rootIds))
                .with("max_depth", MAX_DEPTH).query(db.execute(), "descendants")) {
            return rows.map(r -> row(r, (int) Rows.wholeOr0(r, "depth"))).toList();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Each root's counts over everything below it (as {@link GroupedFeed.Stats} counts them from the tree), in
     * one walk that returns one row per root: the Activity list shows them without reading the trees.
     */
    public Map<String, Counts> counts(List<String> rootIds) {
        if (rootIds.isEmpty()) {
            return Map.of();
        }
        try (Stream<DbRow> rows = new Params().with("roots", JSON.writeValueAsString(rootIds))
                .with("max_depth", MAX_DEPTH).query(db.execute(), "lazy-turn-counts")) {
            Map<String, Counts> counts = new HashMap<>();
            rows.forEach(r -> {
                Double cost = Rows.real(r, "cost_usd");
                counts.put(Rows.text(r, "root"), new Counts((int) Rows.wholeOr0(r, "tool_count"),
                        Math.round(Rows.real(r, "total_duration") * 1000) / 1000.0,
                        (int) Rows.wholeOr0(r, "successes"), (int) Rows.wholeOr0(r, "errors"),
                        new Usage(null, null, null, null, Rows.whole(r, "total_tokens"),
                                cost == null ? null : Math.round(cost * 1e9) / 1e9, Rows.text(r, "cost_source"))));
            });
            return counts;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What {@link #counts} finds below one root; its usage has the total and cost only. */
    public record Counts(int toolCount, double totalDuration, int successes, int errors, Usage usage) {
        static final Counts NONE = new Counts(0, 0, 0, 0, Usage.NONE);
    }

    private List<TreeRow> roots(String statement, String sessionId, int limit) {
        Params params = new Params().with("limit", limit);
        if (sessionId != null) {
            params.with("session_id", sessionId);
        }
        try (Stream<DbRow> rows = params.query(db.execute(), statement)) {
            return rows.map(r -> row(r, 0)).toList();
        }
    }

    static TreeRow row(DbRow r, int depth) {
        return new TreeRow(Rows.text(r, "event_id"), Rows.text(r, "parent_event_id"),
                Rows.text(r, "session_id"), Rows.text(r, "agent_id"), Rows.text(r, "event_type"),
                Rows.text(r, "hook_event_name"), Rows.text(r, "tool_name"), Rows.text(r, "timestamp"),
                Rows.text(r, "input_summary"), Rows.text(r, "output_summary"), Rows.text(r, "status"),
                Rows.text(r, "model"), Rows.real(r, "execution_duration_seconds"),
                Rows.text(r, "subagent_type"), Rows.text(r, "spawner_type"), depth, UsageQueries.usage(r),
                Rows.whole(r, "api_errors"), Rows.text(r, "feature_id"));
    }
}
