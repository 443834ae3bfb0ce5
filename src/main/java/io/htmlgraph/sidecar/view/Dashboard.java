package io.htmlgraph.sidecar.view;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.htmlgraph.sidecar.domain.Timestamps;
import io.htmlgraph.sidecar.domain.TreeRow;
import io.htmlgraph.sidecar.query.EventTraces;
import io.htmlgraph.sidecar.query.GroupedFeed;
import io.htmlgraph.sidecar.query.ReportQueries;
import io.htmlgraph.sidecar.query.Reports;
import io.htmlgraph.sidecar.query.EventQueries;
import io.htmlgraph.sidecar.query.FeatureQueries;
import io.htmlgraph.sidecar.query.MetricsQueries;
import io.htmlgraph.sidecar.query.TreeQueries;
import io.htmlgraph.sidecar.query.ViewQueries;

/**
 * The HTMX dashboard's HTML: the page and each tab's fragment, rendered from the query layer (never SQL here).
 * Every method returns finished HTML; agent text in it is escaped by the templates.
 */
public final class Dashboard {
    /** The tabs, in the order shown; each is {@code /views/<path>} and {@code /?tab=<name>}. */
    public static final List<Tab> TABS = List.of(new Tab("activity", "Activity", "activity-feed"),
            new Tab("sessions", "Sessions", "sessions"), new Tab("agents", "Agents", "agents"),
            new Tab("orchestration", "Orchestration", "orchestration"), new Tab("features", "Features", "features"),
            new Tab("spawners", "Spawners", "spawners"), new Tab("metrics", "Metrics", "metrics"),
            new Tab("attention", "Attention", "attention"));

    private final Sources sources;
    private final Templates templates = new Templates();
    private final Clock clock;
    private final Duration idleAfter;

    /** What the views read. */
    public record Sources(EventQueries events, Reports reports, ReportQueries reportRows, GroupedFeed feed,
                          EventTraces traces, TreeQueries trees, FeatureQueries features, MetricsQueries metrics,
                          ViewQueries views) {
    }

    /** A tab: its name in URLs, its label, and its fragment's path under {@code /views/}. */
    public record Tab(String name, String label, String path) {
    }

    public Dashboard(Sources sources, Clock clock, Duration idleAfter) {
        this.sources = sources;
        this.clock = clock;
        this.idleAfter = idleAfter;
    }

    /** The tab named so, if there is one. */
    public static Optional<Tab> tab(String name) {
        return TABS.stream().filter(t -> t.name().equals(name) || t.path().equals(name)).findFirst();
    }

    /**
     * The whole page with one panel filled.
     *
     * @param sequence the live stream's sequence when the panel was read (the script resumes from it)
     */
    public byte[] page(String title, String selectedTab, byte[] panel, long sequence) {
        List<PageTab> tabs = TABS.stream().map(t -> new PageTab(t.name(), t.label(), t.path(),
                t.name().equals(selectedTab))).toList();
        return templates.render("pages/dashboard", new PageModel(title, tabs, new String(panel, StandardCharsets.UTF_8),
                new String(counters(), StandardCharsets.UTF_8), sequence, selectedTab));
    }

    record PageModel(String title, List<PageTab> tabs, String panel, String counters, long sequence,
                     String selected) {
    }

    record PageTab(String name, String label, String path, boolean selected) {
    }

    /**
     * A failed dashboard request as a fragment htmx swaps where the answer was due (the status is the caller's).
     *
     * @param retry whether trying again later may work (the store was busy)
     */
    public byte[] error(int status, String reason, String code, String detail, boolean retry) {
        return templates.render("fragments/error", new ErrorModel(status, reason, code, detail, retry));
    }

    record ErrorModel(int status, String reason, String code, String detail, boolean retry) {
    }

    public byte[] login(boolean failed) {
        return templates.render("pages/login", new LoginModel(failed));
    }

    record LoginModel(boolean failed) {
    }

    /**
     * The header's counters: events, agents, sessions, active now, tokens and cost when known (pruned days included,
     * as {@code /api/initial-stats} counts them), each from a summary row, never a scan of the events or requests.
     */
    public byte[] counters() {
        ViewQueries.Totals totals = sources.views().totals();
        MetricsQueries.SessionCounts sessions = sources.metrics().sessions(Timestamps.format(clock.instant()
                .minus(idleAfter)));
        long tokens = 0;
        double cost = 0;
        for (List<MetricsQueries.Usage> part : List.of(sources.metrics().usage(), sources.metrics().prunedUsage())) {
            for (MetricsQueries.Usage u : part) {
                tokens += u.input() + u.output() + u.cacheRead() + u.cacheCreation() + u.unspecified();
                cost += u.costUsd();
            }
        }
        return templates.render("fragments/counters", new Counters(Fmt.count(totals.events()),
                Fmt.count(totals.agents()), Fmt.count(totals.sessions()), Fmt.count(sessions.active()),
                tokens == 0 ? null : Fmt.count(tokens), cost == 0 ? null : Fmt.usd(cost)));
    }

    record Counters(String events, String agents, String sessions, String active, String tokens, String cost) {
    }

    public byte[] activity(String sessionId, String agentId, int limit, String baseUrl) {
        GroupedFeed.Page page = sources.feed().headers(sessionId, agentId, limit);
        List<String> agents = sources.metrics().eventCounts().stream().map(MetricsQueries.EventCount::agent)
                .distinct().sorted().toList();
        return templates.render("fragments/activity", ActivityView.model(page, sources.views().sessionIds(50),
                agents, sessionId, agentId, limit, Empty.forBase(baseUrl)));
    }

    /**
     * One turn as a list item without its tree, for the live refresh; empty when the id is not a turn. With
     * {@code agentId}, its counts and (opened) tree are of that agent's part.
     */
    public Optional<byte[]> turn(String eventId, String agentId) {
        return sources.views().turn(eventId).flatMap(row -> sources.feed().header(row, agentId))
                .map(t -> templates.render("fragments/turn", ActivityView.turn(t, agentId)));
    }

    /** The session of a turn (it never changes); empty when the id is not a turn. */
    public Optional<String> turnSession(String eventId) {
        return sources.views().turn(eventId).map(TreeRow::sessionId);
    }

    /** A turn's tree (what the list loads when a person opens the turn); empty when the id is not a turn. */
    public Optional<byte[]> turnTree(String eventId, String agentId) {
        return sources.views().turn(eventId).flatMap(row -> sources.feed().turn(row, agentId)
                .map(t -> templates.render("fragments/tree", ActivityView.tree(t,
                        sources.reportRows().toolCallShares(row.sessionId())))));
    }

    /**
     * The Sessions tab from {@code offset} (the position the pager shows); with {@code before}, the page after that
     * session by key, which costs what the first page does where an offset walks every session it skips.
     */
    public byte[] sessions(String status, EventQueries.Cursor before, int limit, int offset, String baseUrl) {
        return templates.render("fragments/sessions", SessionsView.model(sources.events().sessionList(status, before,
                limit, before == null ? offset : 0), status, offset, Empty.forBase(baseUrl)));
    }

    /** A session's detail, or empty when there is no such session. */
    public Optional<byte[]> session(String sessionId) {
        return sources.reports().session(sessionId).map(detail -> templates.render("fragments/session",
                SessionsView.detail(detail, sources.feed().headers(sessionId, null, SessionsView.TURNS))));
    }

    public byte[] agents(String baseUrl) {
        return templates.render("fragments/agents", AgentsView.model(sources.metrics(), sources.views(),
                Empty.forBase(baseUrl)));
    }

    public byte[] orchestration() {
        return templates.render("fragments/orchestration", OrchestrationView.model(sources.views().delegationEdges(),
                sources.trees().delegations(null, OrchestrationView.RECENT)));
    }

    public byte[] features() {
        return templates.render("fragments/features", FeaturesView.model(sources.metrics().features(),
                status -> sources.features().features(status, FeaturesView.PER_COLUMN, 0)));
    }

    public byte[] spawners() {
        return templates.render("fragments/spawners", SpawnersView.model(
                sources.reports().spawnerStatistics(null).spawnerStatistics(),
                sources.views().recentSpawns(SpawnersView.RECENT),
                sources.views().runningSpawns(SpawnersView.RECENT)));
    }

    public byte[] metrics() {
        return templates.render("fragments/metrics", MetricsView.model(sources.views(), sources.metrics(),
                clock.instant()));
    }

    public byte[] attention() {
        return templates.render("fragments/attention", AttentionView.model(sources.reportRows().attention(),
                clock.instant()));
    }
}
