package io.htmlgraph.sidecar.query;

import java.util.List;

import io.helidon.dbclient.DbRow;
import io.htmlgraph.sidecar.domain.SessionView;
import io.htmlgraph.sidecar.store.Rows;

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
        static Figures of(DbRow r) {
            Double cost = Rows.wholeOr0(r, "cost_rows") > 0 ? Rows.real(r, "summary_cost_usd") : null;
            return new Figures(Rows.wholeOr0(r, "summary_events"), Rows.wholeOr0(r, "summary_turns"),
                    Rows.wholeOr0(r, "summary_tool_calls"), Rows.wholeOr0(r, "summary_errors"),
                    Rows.wholeOr0(r, "token_rows") > 0 ? Rows.whole(r, "summary_total_tokens") : null,
                    cost == null ? null : Math.round(cost * 1e9) / 1e9);
        }
    }
}
