package io.htmlgraph.sidecar.query;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
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
            return rows.map(new RowMapper(false)).toList();
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
            RowMapper mapper = new RowMapper(true);
            return rows.map(r -> new Sorted(mapper.apply(r), Rows.whole(r, mapper.seq(r))))
                    .sorted(Sorted.ORDER).map(Sorted::row).toList();
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

    /** A descendant with its sort key: the statement's rows come in walk order, a tree shows them in time order. */
    private record Sorted(TreeRow row, long seq) {
        static final Comparator<Sorted> ORDER = Comparator.comparing((Sorted s) -> s.row().timestamp())
                .thenComparingLong(Sorted::seq);
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
            return rows.map(new RowMapper(false)).toList();
        }
    }

    static TreeRow row(DbRow r, int depth) {
        return new RowMapper(false).map(r, depth);
    }

    /**
     * Rows of one result as {@link TreeRow}s, each column looked up by name once per result rather than once per
     * row (a page of trees is about 500 rows of 22 columns), with {@code depth} from the row when it has one. The
     * descendants' statement leaves out what a tree node does not show (session, hook, spawner, feature): null here.
     */
    private static final class RowMapper implements Function<DbRow, TreeRow> {
        private static final String[] COLUMNS = {"event_id", "parent_event_id", "session_id", "agent_id",
            "event_type", "hook_event_name", "tool_name", "timestamp", "input_summary", "output_summary", "status",
            "model", "execution_duration_seconds", "subagent_type", "spawner_type", "input_tokens", "output_tokens",
            "cache_read_tokens", "cache_creation_tokens", "total_tokens", "cost_usd", "cost_source", "api_errors",
            "feature_id", "depth", "seq"};
        private final boolean withDepth;
        private int[] at;

        RowMapper(boolean withDepth) {
            this.withDepth = withDepth;
        }

        @Override
        public TreeRow apply(DbRow r) {
            return map(r, 0);
        }

        /** The position of {@code seq}, in the rows that have it. */
        int seq(DbRow r) {
            positions(r);
            return at[25];
        }

        TreeRow map(DbRow r, int depth) {
            positions(r);
            return new TreeRow(Rows.text(r, at[0]), Rows.text(r, at[1]), Rows.text(r, at[2]), Rows.text(r, at[3]),
                    Rows.text(r, at[4]), Rows.text(r, at[5]), Rows.text(r, at[6]), Rows.text(r, at[7]),
                    Rows.text(r, at[8]), Rows.text(r, at[9]), Rows.text(r, at[10]), Rows.text(r, at[11]),
                    Rows.real(r, at[12]), Rows.text(r, at[13]), Rows.text(r, at[14]),
                    withDepth ? Rows.whole(r, at[24]).intValue() : depth,
                    UsageQueries.usage(Rows.whole(r, at[15]), Rows.whole(r, at[16]), Rows.whole(r, at[17]),
                            Rows.whole(r, at[18]), Rows.whole(r, at[19]), Rows.real(r, at[20]), Rows.text(r, at[21])),
                    Rows.whole(r, at[22]), Rows.text(r, at[23]));
        }

        private void positions(DbRow r) {
            if (at == null) {
                at = new int[COLUMNS.length];
                for (int i = 0; i < at.length; i++) {
                    at[i] = Rows.position(r, COLUMNS[i]);
                }
            }
        }
    }
}
