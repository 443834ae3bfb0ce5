package io.htmlgraph.sidecar.web;


import java.util.Map;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.htmlgraph.sidecar.query.EventQueries;
import io.htmlgraph.sidecar.query.EventTraces;
import io.htmlgraph.sidecar.query.GroupedFeed;
import io.htmlgraph.sidecar.query.QueryCache;
import io.htmlgraph.sidecar.query.ReportQueries;
import io.htmlgraph.sidecar.query.Reports;
import io.htmlgraph.sidecar.query.ReportJson;

/**
 * htmlgraph's feed and report routes, and "needs attention". Answers come from the query cache.
 * <pre>
 * curl 'http://127.0.0.1:8080/api/events-grouped-by-prompt?limit=20&amp;session_id=...'
 * curl 'http://127.0.0.1:8080/api/event-traces?limit=10'
 * curl  http://127.0.0.1:8080/api/attention
 * </pre>
 */
final class ReportService implements HttpService {
    static final int MAX_TURNS = 200;
    static final int MAX_TRACES = 200;
    static final int MAX_FEED = 1000;
    static final int MAX_SPAWNER_RUNS = 1000;

    private final GroupedFeed groupedFeed;
    private final EventTraces traces;
    private final Reports reports;
    private final ReportQueries reportRows;
    private final Answers answers;

    ReportService(GroupedFeed groupedFeed, EventTraces traces, Reports reports, ReportQueries reportRows,
                  Answers answers) {
        this.groupedFeed = groupedFeed;
        this.traces = traces;
        this.reports = reports;
        this.reportRows = reportRows;
        this.answers = answers;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/events-grouped-by-prompt", this::getGroupedFeed)
             .get("/event-traces", this::getEventTraces)
             .get("/complete-activity-feed", this::getActivityFeed)
             .get("/orchestration", this::getOrchestration)
             .get("/orchestration/delegations", this::getDelegations)
             .get("/spawner-activities", this::getSpawnerActivities)
             .get("/spawner-statistics", this::getSpawnerStatistics)
             .get("/attention", this::getAttention)
             .get("/query-metrics", this::getQueryMetrics);
    }

    private void getGroupedFeed(ServerRequest req, ServerResponse res) {
        QueryParams q = new QueryParams(req);
        String session = q.text("session_id");
        String agent = q.text("agent_id");
        int limit = q.limit(50, MAX_TURNS);
        answers.send(res, "events-grouped-by-prompt", QueryParams.key("session_id", session, "agent_id", agent,
                "limit", limit), session, () -> ReportJson.of(groupedFeed.page(session, agent, limit)));
    }

    private void getEventTraces(ServerRequest req, ServerResponse res) {
        QueryParams q = new QueryParams(req);
        String session = q.text("session_id");
        int limit = q.limit(50, MAX_TRACES);
        answers.send(res, "event-traces", QueryParams.key("session_id", session, "limit", limit), session,
               () -> ReportJson.of(traces.page(session, limit)));
    }

    private void getActivityFeed(ServerRequest req, ServerResponse res) {
        QueryParams q = new QueryParams(req);
        String session = q.text("session_id");
        boolean delegations = q.bool("include_delegations", true);
        q.bool("include_spikes", true); // accepted and checked; this store has no spike logs
        int limit = q.limit(100, MAX_FEED);
        answers.send(res, "complete-activity-feed", QueryParams.key("session_id", session, "include_delegations",
                delegations, "limit", limit), session, () -> reports.activityFeed(session, delegations, limit));
    }

    private void getOrchestration(ServerRequest req, ServerResponse res) {
        answers.send(res, "orchestration", "", () -> ReportJson.of(reports.orchestration()));
    }

    private void getDelegations(ServerRequest req, ServerResponse res) {
        answers.send(res, "orchestration-delegations", "", reports::delegationChains);
    }

    private void getSpawnerActivities(ServerRequest req, ServerResponse res) {
        QueryParams q = new QueryParams(req);
        String type = q.text("spawner_type");
        String session = q.text("session_id");
        int limit = q.limit(50, MAX_SPAWNER_RUNS);
        int offset = q.offset();
        EventQueries.Cursor before = q.spawnerCursor();
        answers.send(res, "spawner-activities", QueryParams.key("spawner_type", type, "session_id", session,
                "limit", limit, "offset", offset, "cursor", before), session,
                () -> reports.spawnerActivities(type, session, before, limit, offset));
    }

    private void getSpawnerStatistics(ServerRequest req, ServerResponse res) {
        String session = new QueryParams(req).text("session_id");
        answers.send(res, "spawner-statistics", QueryParams.key("session_id", session), session,
               () -> reports.spawnerStatistics(session));
    }

    /** The seed's shape; entries never outlive a commit they depend on, and expire after {@code ttl_seconds}. */
    private void getQueryMetrics(ServerRequest req, ServerResponse res) {
        QueryCache.Metrics m = answers.cacheMetrics();
        answers.sendUncached(res, new QueryMetrics(reports.now(), new CacheStatus(QueryCache.TTL.toSeconds(),
                m.entries(), m.maxEntries(), m.hits() + m.misses(), m.hits(), m.misses(), m.hitRatePercent(),
                "every committed write; an answer about one session only by writes to that session"), m.routes()));
    }

    record QueryMetrics(String timestamp, CacheStatus cacheStatus, Map<String, QueryCache.RouteMetrics> queryMetrics) {
    }

    record CacheStatus(long ttlSeconds, int cachedQueries, int maxEntries, long totalQueriesTracked, long cacheHits,
                       long cacheMisses, double cacheHitRatePercent, String invalidatedBy) {
    }

    private void getAttention(ServerRequest req, ServerResponse res) {
        answers.send(res, "attention", "", reportRows::attention);
    }

}
