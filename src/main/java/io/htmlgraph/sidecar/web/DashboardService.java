package io.htmlgraph.sidecar.web;

import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.htmlgraph.sidecar.domain.ErrorCode;
import io.htmlgraph.sidecar.domain.SessionStatus;
import io.htmlgraph.sidecar.domain.Vocabulary;
import io.htmlgraph.sidecar.live.LiveHub;
import io.htmlgraph.sidecar.query.EventQueries;
import io.htmlgraph.sidecar.query.QueryCache;
import io.htmlgraph.sidecar.store.ReadPool;
import io.htmlgraph.sidecar.view.Dashboard;

/**
 * The HTMX dashboard: the page at {@code /} (a tab per {@code ?tab=}), a session's page, and each tab's fragment
 * under {@code /views/}. Fragments go through the query cache like the JSON answers (a write makes the fragments
 * about its session and the store-wide ones stale).
 * A failure (bad parameter 400, unknown id 404, store busy 503) is answered in HTML too, see {@link ViewErrors}.
 * <pre>
 * curl 'http://127.0.0.1:8080/?tab=sessions'
 * curl  http://127.0.0.1:8080/sessions/SESSION_ID
 * curl 'http://127.0.0.1:8080/views/activity-feed?session_id=SESSION_ID&amp;limit=25'
 * curl  http://127.0.0.1:8080/views/agents
 * curl  http://127.0.0.1:8080/views/turns/TURN_ID/tree
 * </pre>
 */
final class DashboardService implements HttpService {
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.\\-\\[\\]:]{1,255}");

    private final Dashboard dashboard;
    private final QueryCache cache;
    private final ReadPool pool;
    private final LiveHub hub;
    private final ViewErrors errors;

    DashboardService(Dashboard dashboard, QueryCache cache, ReadPool pool, LiveHub hub) {
        this.errors = new ViewErrors(dashboard);
        this.pool = pool;
        this.dashboard = dashboard;
        this.cache = cache;
        this.hub = hub;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", errors.page(this::getPage, "activity", hub::sentSequence))
             .get("/sessions/{id}", errors.page(this::getSessionPage, "sessions", hub::sentSequence))
             .get("/views/counters", errors.fragment((req, res) -> fragment(res, "counters", "", dashboard::counters)))
             .get("/views/turns/{id}", errors.fragment(this::getTurn))
             .get("/views/turns/{id}/tree", errors.fragment(this::getTurnTree))
             .get("/views/sessions/{id}", errors.fragment(this::getSession))
             .get("/views/{tab}", errors.fragment(this::getFragment));
    }

    private void getPage(ServerRequest req, ServerResponse res) {
        Dashboard.Tab tab = Dashboard.tab(new QueryParams(req).oneOf("tab", Set.of("activity", "sessions", "agents",
                "orchestration", "features", "spawners", "metrics", "attention"))).orElse(Dashboard.TABS.get(0));
        long sequence = hub.sentSequence();
        byte[] panel = panel(tab, req); // first: a miss takes its own turn on the read pool
        // the page around it renders on the read pool too: on this virtual thread it held a carrier, and the page's
        // p99 was 20-25 ms at 4 connections and 92-275 ms at 16-64 with its panel cached (docs/performance.md)
        Html.send(res, pool.run(() -> dashboard.page(tab.label(), tab.name(), panel, sequence)));
    }

    private void getSessionPage(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        long sequence = hub.sentSequence();
        // its reads on the read pool: on this virtual thread they held a carrier (p99 76-699 ms at 4-64 connections)
        Html.send(res, pool.run(() -> dashboard.page("Session " + id, "sessions", dashboard.session(id)
                .orElseThrow(() -> ApiService.unknownSession(id)), sequence)));
    }

    private void getFragment(ServerRequest req, ServerResponse res) {
        String name = req.path().pathParameters().get("tab");
        Dashboard.Tab tab = Dashboard.TABS.stream().filter(t -> t.path().equals(name)).findFirst()
                .orElseThrow(() -> new ApiException(Status.NOT_FOUND_404, ErrorCode.NOT_FOUND, "no view '" + name
                        + "'"));
        Html.send(res, panel(tab, req));
    }

    /** A turn's row without its tree (the live refresh); {@code ?agent_id=} as the Activity filter. */
    private void getTurn(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        String agent = new QueryParams(req).text("agent_id");
        fragmentAbout(res, "turn", QueryParams.key("t", id, "a", agent), () -> about(dashboard.turnSession(id),
                dashboard.turn(id, agent), id));
    }

    /** A turn's tree, loaded when a person opens the turn: {@code curl localhost:8080/views/turns/ID/tree}. */
    private void getTurnTree(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        String agent = new QueryParams(req).text("agent_id");
        fragmentAbout(res, "turn-tree", QueryParams.key("t", id, "a", agent), () -> about(dashboard.turnSession(id),
                dashboard.turnTree(id, agent), id));
    }

    /** A turn's fragment and its session: the turn's rows all belong to it, so it is all the fragment reads. */
    private static QueryCache.Answer about(Optional<String> session, Optional<byte[]> html, String turnId) {
        return new QueryCache.Answer(html.orElseThrow(() -> noTurn(turnId)), session.orElseThrow(() -> noTurn(turnId)));
    }

    private static ApiException noTurn(String id) {
        return new ApiException(Status.NOT_FOUND_404, ErrorCode.NOT_FOUND, "no turn '" + id + "'");
    }

    private void getSession(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        fragmentAbout(res, "session", id, () -> new QueryCache.Answer(dashboard.session(id)
                .orElseThrow(() -> ApiService.unknownSession(id)), id));
    }

    /** A tab's fragment (UTF-8), with its validated parameters, through the cache. */
    private byte[] panel(Dashboard.Tab tab, ServerRequest req) {
        QueryParams q = new QueryParams(req);
        String base = baseUrl(req);
        return switch (tab.name()) {
            case "activity" -> {
                String session = q.text("session_id");
                String agent = q.text("agent_id");
                int limit = q.limit(25, 200);
                yield cached("activity", QueryParams.key("s", session, "a", agent, "l", limit, "b", base),
                        () -> dashboard.activity(session, agent, limit, base));
            }
            case "sessions" -> {
                String status = q.oneOf("status", Vocabulary.values(SessionStatus.class));
                int offset = q.offset();
                EventQueries.Cursor before = q.sessionCursor();
                yield cached("sessions", QueryParams.key("s", status, "o", offset, "c", before, "b", base),
                        () -> dashboard.sessions(status, before, 50, offset, base));
            }
            case "agents" -> cached("agents", base, () -> dashboard.agents(base));
            case "orchestration" -> cached("orchestration", "", dashboard::orchestration);
            case "features" -> cached("features", "", dashboard::features);
            case "spawners" -> cached("spawners", "", dashboard::spawners);
            case "metrics" -> cached("metrics", "", dashboard::metrics);
            default -> cached("attention", "", dashboard::attention);
        };
    }

    /** The fragment as UTF-8, sent as cached: no decoding and encoding again per request (allocation). */
    private byte[] cached(String view, String key, Supplier<byte[]> html) {
        // a miss renders on the read pool, in arrival order, like the JSON answers (see Answers#send)
        return cache.get("view-" + view, key, () -> pool.run(html));
    }

    private void fragment(ServerResponse res, String view, String key, Supplier<byte[]> html) {
        Html.send(res, cached(view, key, html));
    }

    /** A fragment that reads only the rows of the session its answer names: commits to others leave it cached. */
    private void fragmentAbout(ServerResponse res, String view, String key, Supplier<QueryCache.Answer> html) {
        Html.send(res, cache.scoped("view-" + view, key, () -> pool.run(html)));
    }

    /** This sidecar's URL as the browser reached it (for the hook settings an empty view shows). */
    private static String baseUrl(ServerRequest req) {
        String host = req.headers().first(io.helidon.http.HeaderNames.HOST).orElse("");
        return "http://" + (HOST.matcher(host).matches() ? host : "127.0.0.1:" + req.localPeer().port());
    }
}
