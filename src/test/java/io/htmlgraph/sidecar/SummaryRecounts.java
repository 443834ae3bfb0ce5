package io.htmlgraph.sidecar;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The summary tables that the writer keeps for new event rows (store/NewRowCounts) and the update and delete
 * triggers keep after, each as (kept, recounted from the events): tests compare the two after writes that mix
 * accepted and refused requests in one group commit.
 */
public final class SummaryRecounts {
    /** Per day, what is stored (pruned events leave daily_totals for daily_rollups, unlike the lifetime counts). */
    public static final String DAILY_KEPT = """
            SELECT day, events, errors, tool_calls, input_tokens, output_tokens, cache_read_tokens,
                   cache_creation_tokens, unspecified_tokens, total_tokens, round(cost_usd, 9)
            FROM daily_totals ORDER BY 1""";
    public static final String DAILY_RECOUNTED = """
            SELECT substr(timestamp, 1, 10), count(*), sum(status = 'error'),
                   sum(coalesce(event_type IN ('tool_call', 'delegation') AND tool_name <> 'UserQuery', 0)),
                   coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0),
                   coalesce(sum(cache_read_tokens), 0), coalesce(sum(cache_creation_tokens), 0),
                   coalesce(sum(CASE WHEN total_tokens IS NOT NULL OR cost_usd IS NOT NULL THEN
                       max(coalesce(total_tokens, 0) - coalesce(input_tokens, 0) - coalesce(output_tokens, 0)
                           - coalesce(cache_read_tokens, 0) - coalesce(cache_creation_tokens, 0), 0) END), 0),
                   coalesce(sum(total_tokens), 0), round(coalesce(sum(cost_usd), 0), 9)
            FROM agent_events GROUP BY 1 ORDER BY 1""";
    /** Kept rows → the same rows recounted from {@code agent_events}, both ordered alike. */
    public static final Map<String, String> KEPT_AND_RECOUNTED = Map.of(
            "SELECT agent_id, event_type, events, last_at FROM event_counts WHERE events > 0 ORDER BY 1, 2",
            "SELECT agent_id, event_type, count(*), max(timestamp) FROM agent_events GROUP BY 1, 2 ORDER BY 1, 2",
            "SELECT minute, events, calls, errors, b0, b1, b2, b3, b4, b5 FROM activity_minutes ORDER BY 1",
            """
            SELECT substr(timestamp, 1, 16), count(*), sum(c), sum(c * coalesce(status = 'error', 0)),
                   sum(c * coalesce(d < 0.1, 0)), sum(c * coalesce(d >= 0.1 AND d < 0.5, 0)),
                   sum(c * coalesce(d >= 0.5 AND d < 1, 0)), sum(c * coalesce(d >= 1 AND d < 5, 0)),
                   sum(c * coalesce(d >= 5 AND d < 30, 0)), sum(c * coalesce(d >= 30, 0))
            FROM (SELECT timestamp, status, execution_duration_seconds AS d,
                         coalesce(event_type = 'tool_call' AND status IN ('success', 'error')
                                  AND tool_name <> 'UserQuery', 0) AS c FROM agent_events)
            GROUP BY 1 ORDER BY 1""",
            "SELECT agent_id, minute, calls, successes, errors, timed, seconds FROM agent_minutes ORDER BY 1, 2",
            """
            SELECT agent_id, substr(timestamp, 1, 16), count(*), sum(status IN ('success', 'completed')),
                   sum(status = 'error'), count(execution_duration_seconds),
                   round(coalesce(sum(execution_duration_seconds), 0), 6)
            FROM agent_events WHERE event_type IN ('tool_call', 'delegation') AND tool_name <> 'UserQuery'
            GROUP BY 1, 2 ORDER BY 1, 2""",
            DAILY_KEPT, DAILY_RECOUNTED,
            "SELECT agent_id, errors FROM agent_errors WHERE errors > 0 ORDER BY 1",
            "SELECT agent_id, count(*) FROM agent_events WHERE status = 'error' GROUP BY 1 ORDER BY 1",
            "SELECT spawner_type, session_id FROM spawner_sessions ORDER BY 1, 2",
            "SELECT DISTINCT spawner_type, session_id FROM agent_events WHERE spawner_type IS NOT NULL ORDER BY 1, 2");

    private SummaryRecounts() {
    }

    /** Each summary whose kept rows differ from its recount, with both; {@code query} answers rows of a query. */
    public static List<String> mismatches(Function<String, List<?>> query) {
        List<String> differ = new ArrayList<>();
        KEPT_AND_RECOUNTED.forEach((kept, recounted) -> {
            List<?> have = query.apply(kept);
            List<?> want = query.apply(recounted);
            if (!have.equals(want)) {
                differ.add(kept + ": only kept " + have.stream().filter(r -> !want.contains(r)).limit(5).toList()
                           + ", only recounted " + want.stream().filter(r -> !have.contains(r)).limit(5).toList());
            }
        });
        return differ;
    }

    /** The rows of {@code sql} on the sidecar's file, as lists of values (the recounts name their columns apart). */
    public static List<List<Object>> values(TestSidecar sidecar, String sql) {
        return sidecar.rows(sql).stream().map(row -> (List<Object>) new ArrayList<>(row.values())).toList();
    }
}
