package io.htmlgraph.sidecar.web;

import java.util.Set;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.htmlgraph.sidecar.store.EventQueries;

/**
 * htmlgraph's read routes, same paths, parameters and field names.
 * <pre>
 * curl 'http://127.0.0.1:8080/api/events?limit=20&amp;session_id=...'
 * curl  http://127.0.0.1:8080/api/initial-stats
 * curl 'http://127.0.0.1:8080/api/sessions?status=active'
 * </pre>
 */
final class ApiService implements HttpService {
    static final int MAX_EVENTS = 1000;
    static final int MAX_SESSIONS = 500;

    private final EventQueries queries;
    private final Json json;

    ApiService(EventQueries queries, Json json) {
        this.queries = queries;
        this.json = json;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/events", this::getEvents)
             .get("/initial-stats", this::getInitialStats)
             .get("/sessions", this::getSessions);
    }

    private void getEvents(ServerRequest req, ServerResponse res) {
        QueryParams q = new QueryParams(req);
        json.send(res, queries.events(q.text("session_id"), q.text("agent_id"), q.limit(50, MAX_EVENTS), q.offset()));
    }

    private void getInitialStats(ServerRequest req, ServerResponse res) {
        json.send(res, queries.initialStats());
    }

    private void getSessions(ServerRequest req, ServerResponse res) {
        QueryParams q = new QueryParams(req);
        json.send(res, queries.sessions(q.oneOf("status", Set.of("active", "idle", "ended")),
                                        q.limit(50, MAX_SESSIONS), q.offset()));
    }
}
