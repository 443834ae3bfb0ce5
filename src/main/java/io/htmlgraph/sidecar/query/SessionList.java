package io.htmlgraph.sidecar.query;

import java.sql.SQLException;
import java.util.List;

import io.htmlgraph.sidecar.domain.SessionView;
import io.htmlgraph.sidecar.store.Reads;

/**
 * A page of sessions with each one's figures, read in one query from the per-session summary rows the writer keeps
 * (migration 10), so that a list of 50 sessions costs one query rather than one count over each session's events.
 *
 * @param total how many sessions match the filter
 */
public record SessionList(long total, List<Listed> sessions) {

    /** A session and its figures. */
    public record Listed(SessionView session, Figures figures) {
    }

    /**
     * What a session's stored rows add up to: events, turns, tool calls (and delegations), failed events, and the
     * tokens and cost of its API requests and spawner runs — null when no source reported any.
     */
    public record Figures(long events, long turns, long toolCalls, long errors, Long totalTokens, Double costUsd) {
        /** Reads rows with the summary's columns as {@link Figures}, for one result. */
        static Reads.RowReader<Figures> reader() {
            return new FiguresReader();
        }
    }

    /** Reads the summary's columns by position. */
    private static final class FiguresReader extends Reads.ByPosition<Figures> {
        FiguresReader() {
            super("summary_events", "summary_turns", "summary_tool_calls", "summary_errors", "token_rows",
                  "summary_total_tokens", "cost_rows", "summary_cost_usd");
        }

        @Override
        protected Figures read(Reads.Current r, int[] at) throws SQLException {
            Double cost = or0(r.whole(at[6])) > 0 ? r.real(at[7]) : null;
            return new Figures(or0(r.whole(at[0])), or0(r.whole(at[1])), or0(r.whole(at[2])), or0(r.whole(at[3])),
                    or0(r.whole(at[4])) > 0 ? r.whole(at[5]) : null,
                    cost == null ? null : Math.round(cost * 1e9) / 1e9);
        }

        private static long or0(Long count) {
            return count == null ? 0 : count;
        }
    }
}
