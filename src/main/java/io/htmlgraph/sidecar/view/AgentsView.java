package io.htmlgraph.sidecar.view;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.htmlgraph.sidecar.query.MetricsQueries;
import io.htmlgraph.sidecar.query.ViewQueries;

/**
 * The Agents tab: one card per agent (the main agent, subagent types, spawner types) with events, sessions, last
 * activity, success rate (of the finished ones) and average duration over its newest {@value #RECENT} tool calls,
 * tokens, cost, and its share of all events.
 */
final class AgentsView {
    static final int RECENT = 500;
    static final int MAX_AGENTS = 24;

    private AgentsView() {
    }

    record Model(List<Card> agents, boolean empty, Empty help) {
    }

    record Card(String name, String events, String sessions, Fmt.Time lastActive, String successRate,
                String avgDuration, String recentCalls, String errors, String tokens, String cost, String share,
                int sharePercent) {
    }

    static Model model(MetricsQueries metrics, ViewQueries views, Empty help) {
        Map<String, long[]> events = new HashMap<>(); // agent -> {events}
        Map<String, String> last = new HashMap<>();
        long all = 0;
        for (MetricsQueries.EventCount c : metrics.eventCounts()) {
            events.computeIfAbsent(c.agent(), k -> new long[1])[0] += c.count();
            last.merge(c.agent(), c.lastAt(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
            all += c.count();
        }
        Map<String, MetricsQueries.Presence> presence = new HashMap<>();
        views.presence().forEach(p -> presence.merge(p.agent(), p, (a, b) -> a.sessions() >= b.sessions() ? a : b));
        Map<String, Long> errors = metrics.errors();
        Map<String, double[]> usage = new HashMap<>(); // agent -> {tokens, cost, any}
        for (MetricsQueries.Usage u : metrics.usage()) {
            double[] sum = usage.computeIfAbsent(u.agent(), k -> new double[2]);
            sum[0] += u.input() + u.output() + u.cacheRead() + u.cacheCreation() + u.unspecified();
            sum[1] += u.costUsd();
        }
        long total = all;
        List<Card> cards = events.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, long[]> e) -> -e.getValue()[0])
                        .thenComparing(Map.Entry::getKey))
                .limit(MAX_AGENTS)
                .map(e -> card(e.getKey(), e.getValue()[0], total, presence.get(e.getKey()), last.get(e.getKey()),
                        errors.getOrDefault(e.getKey(), 0L), usage.get(e.getKey()),
                        views.agentRecent(e.getKey(), RECENT)))
                .toList();
        return new Model(cards, cards.isEmpty(), help);
    }

    private static Card card(String agent, long events, long total, MetricsQueries.Presence presence, String last,
                             long errors, double[] usage, ViewQueries.AgentRecent recent) {
        double share = total == 0 ? 0 : (double) events / total;
        long finished = recent.successes() + recent.errors();
        String rate = finished == 0 ? null : Fmt.percent((double) recent.successes() / finished);
        return new Card(agent, Fmt.count(events), presence == null ? null : Fmt.count(presence.sessions()),
                Fmt.time(presence != null && presence.lastAt() != null && presence.lastAt().compareTo(last) > 0
                        ? presence.lastAt() : last),
                rate, Fmt.duration(recent.avgDuration()), Fmt.count(recent.calls(), "tool call"), Fmt.count(errors),
                usage == null ? null : Fmt.count(Math.round(usage[0])),
                usage == null || usage[1] == 0 ? null : Fmt.usd(usage[1]),
                Fmt.percent(share), (int) Math.round(share * 100));
    }
}
