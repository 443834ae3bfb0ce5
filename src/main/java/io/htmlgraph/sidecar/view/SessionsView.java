package io.htmlgraph.sidecar.view;

import java.util.ArrayList;
import java.util.List;

import io.htmlgraph.sidecar.domain.SessionPage;
import io.htmlgraph.sidecar.domain.SessionStatus;
import io.htmlgraph.sidecar.domain.SessionTotals;
import io.htmlgraph.sidecar.domain.SessionView;
import io.htmlgraph.sidecar.domain.Timestamps;
import io.htmlgraph.sidecar.query.GroupedFeed;
import io.htmlgraph.sidecar.query.Reports;

/**
 * The Sessions tab (a list with status, agent, model, times, counts) and a session's own page. A list row comes with
 * what the session list query gives (times, events); its turns, tool calls, errors, tokens and cost load per row when
 * it scrolls into view ({@code /views/sessions/{id}/row}), so the list stays one cheap query.
 */
final class SessionsView {
    static final int PAGE = 50;
    /** A session's page shows its newest turns with their trees. */
    static final int TURNS = 25;

    private SessionsView() {
    }

    record Model(List<Row> sessions, String status, List<Filter> filters, String total, Integer previous, Integer next,
                 boolean empty, Empty help) {
    }

    /** A status filter button. */
    record Filter(String value, String label, boolean selected) {
    }

    record Row(String id, String status, String agent, String model, Fmt.Time started, Fmt.Time ended,
               Fmt.Time lastEvent, String duration, String events, Fmt.Text cwd, Counts counts) {
    }

    /** A session's figures in its list row; tokens and cost null until a source reported some. */
    record Counts(String turns, String toolCalls, String errors, boolean failed, String tokens, String cost) {
        static Counts of(SessionTotals t) {
            return new Counts(Fmt.count(t.turns()), Fmt.count(t.toolCalls()), Fmt.count(t.errors()), t.errors() > 0,
                    t.tokens() == null ? null : Fmt.count(t.tokens().total()), Fmt.usd(t.costUsd()));
        }
    }

    /** A session's page: its row, totals and turns. */
    record Detail(Row session, String source, String endReason, String toolCalls, String errors, String turns,
                  String events, String tokens, String inputTokens, String outputTokens, String cacheTokens,
                  String cost, List<ActivityView.Turn> turnList) {
    }

    static Model model(SessionPage page, String status, int offset, Empty help) {
        List<Row> rows = page.sessions().stream().map(SessionsView::row).toList();
        List<Filter> filters = new ArrayList<>(List.of(new Filter("", "all", status == null)));
        for (SessionStatus s : SessionStatus.values()) {
            filters.add(new Filter(s.value(), s.value(), s.is(status)));
        }
        Integer previous = offset > 0 ? Math.max(0, offset - PAGE) : null;
        Integer next = offset + rows.size() < page.total() ? offset + PAGE : null;
        return new Model(rows, status == null ? "" : status, filters, Fmt.count(page.total()), previous, next,
                rows.isEmpty(), help);
    }

    static Row row(SessionView s) {
        return row(s, null);
    }

    /** A list row; {@code totals} null: its figures are loaded when it is shown. */
    static Row row(SessionView s, SessionTotals totals) {
        String end = s.endedAt() != null ? s.endedAt() : s.lastEventAt();
        return new Row(s.sessionId(), s.status(), s.agent(), s.model(), Fmt.time(s.startedAt()),
                Fmt.time(s.endedAt()), Fmt.time(s.lastEventAt()),
                Fmt.duration(Timestamps.secondsBetween(s.startedAt(), end)), Fmt.count(s.totalEvents()),
                Fmt.text(s.cwd()), totals == null ? null : Counts.of(totals));
    }

    static Detail detail(Reports.SessionDetail d, GroupedFeed.Page turns) {
        SessionTotals t = d.totals();
        SessionTotals.Tokens tokens = t.tokens();
        Long cache = tokens == null || tokens.cacheRead() == null && tokens.cacheCreation() == null ? null
                : nz(tokens.cacheRead()) + nz(tokens.cacheCreation());
        return new Detail(row(d.session()), d.session().source(), d.session().endReason(),
                Fmt.count(t.toolCalls()), Fmt.count(t.errors()), Fmt.count(t.turns()), Fmt.count(t.events()),
                tokens == null ? null : Fmt.count(tokens.total()), tokens == null ? null : Fmt.count(tokens.input()),
                tokens == null ? null : Fmt.count(tokens.output()), Fmt.count(cache), Fmt.usd(t.costUsd()),
                turns.conversationTurns().stream().map(ActivityView::turn).toList());
    }

    private static long nz(Long n) {
        return n == null ? 0 : n;
    }
}
