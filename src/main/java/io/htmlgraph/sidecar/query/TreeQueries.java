package io.htmlgraph.sidecar.query;

import java.sql.SQLException;
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
        return new Params().with("agent_id", agentId).with("session_id", sessionId)
                .with("scan", limit * AGENT_SCAN_PER_TURN).with("max_depth", MAX_DEPTH).with("limit", limit)
                .list(db, "turns-page-agent", new RowReader());
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
        try {
            List<Sorted> rows = new Params().with("roots", JSON.writeValueAsString(rootIds))
                    .with("max_depth", MAX_DEPTH).list(db, "descendants", new SortedReader());
            return rows.stream().sorted().map(Sorted::row).toList();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads rows of the tree statements' columns (any of them) as {@link TreeRow}s, for one result. */
    static Reads.RowReader<TreeRow> reader() {
        return new RowReader();
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

    /**
     * A descendant with its sort key: the statement's rows come in walk order, a tree shows them in time order, ties
     * in the order they were stored (as event pages).
     * Compared directly (a chain of {@code Comparator.comparing} lambdas was 5 % of the grouped feed's samples under
     * C1).
     */
    private record Sorted(TreeRow row, long stored) implements Comparable<Sorted> {
        @Override
        public int compareTo(Sorted other) {
            int byTime = row.timestamp().compareTo(other.row.timestamp());
            return byTime != 0 ? byTime : Long.compare(stored, other.stored);
        }
    }

    /** What {@link #counts} finds below one root; its usage has the total and cost only. */
    public record Counts(int toolCount, double totalDuration, int successes, int errors, Usage usage) {
        static final Counts NONE = new Counts(0, 0, 0, 0, Usage.NONE);
    }

    private List<TreeRow> roots(String statement, String sessionId, int limit) {
        return new Params().with("limit", limit).with("session_id", sessionId).list(db, statement, new RowReader());
    }

    /**
     * Reads the rows of one result as {@link TreeRow}s: the columns' positions looked up once per result, then
     * each row's columns read off the result by position (a page of trees is about 450 rows of 22 columns), with
     * {@code depth} from the row when it has one (0 otherwise). The descendants' statement leaves out what a tree
     * node does not show (session, hook, spawner, feature: null here), and says in {@code figures} whether the row
     * has any tokens, cost or API errors: most have none, and their eight columns are then not read at all.
     */
    private static final class RowReader extends Reads.ByPosition<TreeRow> {
        private static final String[] COLUMNS = {"event_id", "parent_event_id", "session_id", "agent_id",
            "event_type", "hook_event_name", "tool_name", "timestamp", "input_summary", "output_summary", "status",
            "model", "execution_duration_seconds", "subagent_type", "spawner_type", "input_tokens", "output_tokens",
            "cache_read_tokens", "cache_creation_tokens", "total_tokens", "cost_usd", "cost_source", "api_errors",
            "feature_id", "depth", "event_row", "figures"};
        private static final int DEPTH = 24;
        private static final int ROW = 25;
        private static final int FIGURES = 26;

        RowReader() {
            super(COLUMNS);
        }

        @Override
        protected TreeRow read(Reads.Current r, int[] at) throws SQLException {
            return row(r, at);
        }

        static TreeRow row(Reads.Current r, int[] at) throws SQLException {
            Long depth = r.whole(at[DEPTH]);
            boolean figures = at[FIGURES] == 0 || r.flag(at[FIGURES]);
            return new TreeRow(r.text(at[0]), r.repeated(at[1]), r.repeated(at[2]), r.repeated(at[3]),
                    r.repeated(at[4]), r.repeated(at[5]), r.repeated(at[6]), r.text(at[7]), r.text(at[8]),
                    r.text(at[9]), r.repeated(at[10]), r.repeated(at[11]), r.real(at[12]), r.repeated(at[13]),
                    r.repeated(at[14]), depth == null ? 0 : depth.intValue(),
                    figures ? UsageQueries.usage(r.whole(at[15]), r.whole(at[16]), r.whole(at[17]), r.whole(at[18]),
                            r.whole(at[19]), r.real(at[20]), r.repeated(at[21])) : Usage.NONE,
                    figures ? r.whole(at[22]) : null, r.repeated(at[23]));
        }
    }

    /** Reads the descendants' rows with their sort key (time, then the order they were stored in). */
    private static final class SortedReader extends Reads.ByPosition<Sorted> {
        SortedReader() {
            super(RowReader.COLUMNS);
        }

        @Override
        protected Sorted read(Reads.Current r, int[] at) throws SQLException {
            return new Sorted(RowReader.row(r, at), r.whole(at[RowReader.ROW]));
        }
    }
}
