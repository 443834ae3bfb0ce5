package io.htmlgraph.sidecar.web;

import java.util.Map;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.htmlgraph.sidecar.domain.IngestSource;
import io.htmlgraph.sidecar.ingest.Ingestor;

/**
 * The ingest endpoints. Each takes one JSON object, a JSON array of them, or NDJSON, and stores all or nothing.
 * <pre>
 * curl -H 'Content-Type: application/json' -d @payload.json http://127.0.0.1:8080/api/hooks
 * curl -H 'Content-Type: application/json' http://127.0.0.1:8080/api/spawner-events \
 *      -d '{"event_type":"spawner_start","spawner_type":"gemini","session_id":"s1","data":{"prompt_preview":"…"}}'
 * </pre>
 * A single Claude Code hook payload is answered with {@code {}} (valid hook output, so Claude Code's http hooks
 * and command hooks piping the answer both accept it); a batch with {@code {"accepted": n}}.
 */
final class IngestService implements HttpService {
    private static final HeaderName FEATURE = HeaderNames.create("X-Htmlgraph-Feature");
    private static final byte[] EMPTY_OBJECT = {'{', '}'};

    private final Ingestor ingestor;
    private final RequestBodies bodies;
    private final Json json;
    private final IngestRoutes routes;

    IngestService(Ingestor ingestor, RequestBodies bodies, Json json, IngestRoutes routes) {
        this.ingestor = ingestor;
        this.bodies = bodies;
        this.json = json;
        this.routes = routes;
    }

    @Override
    public void routing(HttpRules rules) {
        routes.post(rules, "/api/hooks", IngestSource.HOOKS, this::postHooks);
        routes.post(rules, "/api/hooks/{name}", IngestSource.HOOKS, this::postNamedHooks);
        routes.post(rules, "/events", IngestSource.ENVELOPES, this::postEnvelopes);
        routes.post(rules, "/api/spawner-events", IngestSource.SPAWNER, this::postSpawnerEvents);
    }

    private int postHooks(ServerRequest req, ServerResponse res) {
        return answer(res, ingestor.hooks(bodies.jsonStream(req), null, feature(req)));
    }

    private int postNamedHooks(ServerRequest req, ServerResponse res) {
        String name = req.path().pathParameters().get("name");
        return answer(res, ingestor.hooks(bodies.jsonStream(req), name, feature(req)));
    }

    /** The {@code X-Htmlgraph-Feature} header: the feature of hook events and spawner runs whose payload names none. */
    private static String feature(ServerRequest req) {
        return req.headers().first(FEATURE).map(String::trim).filter(f -> !f.isEmpty() && f.length() <= 256)
                .orElse(null);
    }

    private int postEnvelopes(ServerRequest req, ServerResponse res) {
        return answerCount(res, ingestor.envelopes(bodies.jsonStream(req)));
    }

    private int postSpawnerEvents(ServerRequest req, ServerResponse res) {
        return answerCount(res, ingestor.spawnerEvents(bodies.jsonStream(req), feature(req)));
    }

    private int answer(ServerResponse res, int accepted) {
        res.header("X-Accepted-Events", String.valueOf(accepted));
        if (accepted == 1) {
            json.sendBytes(res, EMPTY_OBJECT); // the answer to every single hook: not written anew each time
        } else {
            json.send(res, Map.of("accepted", accepted));
        }
        return accepted;
    }

    private int answerCount(ServerResponse res, int accepted) {
        json.send(res, Map.of("accepted", accepted));
        return accepted;
    }
}
