package io.htmlgraph.sidecar.view;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.htmlgraph.sidecar.domain.SessionStatus;
import io.htmlgraph.sidecar.domain.SessionTotals;
import io.htmlgraph.sidecar.domain.SessionView;
import io.htmlgraph.sidecar.domain.Timestamps;
import io.htmlgraph.sidecar.query.GroupedFeed;
import io.htmlgraph.sidecar.query.Reports;
import io.htmlgraph.sidecar.query.SessionList;

/**
 * The Sessions tab (a list with status, agent, model, times, counts) and a session's own page. The list is one query:
 * each row's turns, tool calls, errors, tokens and cost come from the session's summary row, kept by the writer.
 */
final class SessionsView {
    static final int PAGE = 50;
    /** A session's page shows its newest turns with their trees. */
    static final int TURNS = 25;

    private SessionsView() {
    }

    /** {@code nextCursor}: the last row's key, URL-encoded, so that the "older" page is read by key. */
    record Model(List<Row> sessions, String status, List<Filter> filters, String total, Integer previous, Integer next,
                 String nextCursor, boolean empty, Empty help) {
    }

    /** A status filter button. */
    record Filter(String value, String label, boolean selected) {
    }

    record Row(String id, String status, String agent, String model, Fmt.Time started, Fmt.Time ended,
               Fmt.Time lastEvent, String duration, String events, Fmt.Text cwd, Counts counts) {
    }

    /** A session's figures in its list row; tokens and cost null until a source reported some. */
    record Counts(String turns, String toolCalls, String errors, boolean failed, String tokens, String cost) {
        static Counts of(SessionList.Figures f) {
            return new Counts(Fmt.count(f.turns()), Fmt.count(f.toolCalls()), Fmt.count(f.errors()), f.errors() > 0,
                    f.totalTokens() == null ? null : Fmt.count(f.totalTokens()), Fmt.usd(f.costUsd()));
        }
    }

    /** A session's page: its row, totals and turns. */
    record Detail(Row session, String source, String endReason, String toolCalls, String errors, String turns,
                  String events, String tokens, String inputTokens, String outputTokens, String cacheTokens,
                  String cost, ToolCosts toolCosts, List<ActivityView.Turn> turnList) {
    }

    static Model model(SessionList page, String status, int offset, Empty help) {
        List<Row> rows = page.sessions().stream().map(l -> row(l.session(), Counts.of(l.figures()))).toList();
        List<Filter> filters = new ArrayList<>(List.of(new Filter("", "all", status == null)));
        for (SessionStatus s : SessionStatus.values()) {
            filters.add(new Filter(s.value(), s.value(), s.is(status)));
        }
        Integer previous = offset > 0 ? Math.max(0, offset - PAGE) : null;
        Integer next = offset + rows.size() < page.total() && !rows.isEmpty() ? offset + PAGE : null;
        SessionView last = rows.isEmpty() ? null : page.sessions().get(rows.size() - 1).session();
        String nextCursor = last == null ? null
                : URLEncoder.encode(last.startedAt() + "," + last.sessionId(), StandardCharsets.UTF_8);
        return new Model(rows, status == null ? "" : status, filters, Fmt.count(page.total()), previous, next,
                nextCursor, rows.isEmpty(), help);
    }

    static Row row(SessionView s) {
        return row(s, null);
    }

    /** A row; {@code counts} null where the figures are shown apart (the session's page). */
    static Row row(SessionView s, Counts counts) {
        String end = s.endedAt() != null ? s.endedAt() : s.lastEventAt();
        return new Row(s.sessionId(), s.status(), s.agent(), s.model(), Fmt.time(s.startedAt()),
                Fmt.time(s.endedAt()), Fmt.time(s.lastEventAt()),
                Fmt.duration(Timestamps.secondsBetween(s.startedAt(), end)), Fmt.count(s.totalEvents()),
                Fmt.text(s.cwd()), counts);
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
                ToolCosts.of(t),
                turns.conversationTurns().stream().map(turn -> ActivityView.turn(turn, null)).toList());
    }

    /** Each tool's share of the requests that asked for its calls, and the costliest calls; null when unknown. */
    record ToolCosts(List<ToolRow> tools, List<CallRow> calls) {
        static ToolCosts of(SessionTotals t) {
            if (t.byTool().isEmpty()) {
                return null;
            }
            return new ToolCosts(t.byTool().stream().map(u -> new ToolRow(u.toolName(), Fmt.count(u.calls()),
                    Fmt.count(u.usage().totalTokens()), Fmt.usd(u.usage().costUsd()))).toList(),
                    t.costliestToolCalls().stream().map(c -> new CallRow(c.toolName(), Fmt.text(c.inputSummary()),
                            Fmt.count(c.totalTokens()), Fmt.usd(c.costUsd()), Fmt.count(c.callsInRequest())))
                            .toList());
        }
    }

    record ToolRow(String name, String calls, String tokens, String cost) {
    }

    /** {@code callsInRequest}: the calls that shared the request that asked for this one. */
    record CallRow(String tool, Fmt.Text summary, String tokens, String cost, String callsInRequest) {
    }

    private static long nz(Long n) {
        return n == null ? 0 : n;
    }
}
