package io.htmlgraph.sidecar.web;

import java.util.List;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.htmlgraph.sidecar.domain.Usage;
import io.htmlgraph.sidecar.ingest.Ingestor;
import io.htmlgraph.sidecar.query.UsageQueries;

/**
 * Tokens and cost across everything, and a session's active feature.
 * <pre>
 * curl http://127.0.0.1:8080/api/usage
 * curl -X PUT -H 'Content-Type: application/json' -d '{"feature_id":"feat-42"}' \
 *      http://127.0.0.1:8080/api/sessions/SESSION_ID/feature
 * </pre>
 * {@code GET /api/usage}: {@code {total, by_agent_model[{agent_id, model, usage}], by_feature[{key, usage}]}}, each
 * API request and spawner report counted once. {@code PUT /api/sessions/{id}/feature}: the feature the session's
 * next turns (and their usage) belong to, until changed ({@code null} clears it).
 */
final class UsageService implements HttpService {
    private final UsageQueries usage;
    private final Ingestor ingestor;
    private final RequestBodies bodies;
    private final Answers answers;

    UsageService(UsageQueries usage, Ingestor ingestor, RequestBodies bodies, Answers answers) {
        this.usage = usage;
        this.ingestor = ingestor;
        this.bodies = bodies;
        this.answers = answers;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/usage", this::getUsage)
             .put("/sessions/{id}/feature", this::putFeature);
    }

    private void getUsage(ServerRequest req, ServerResponse res) {
        answers.send(res, "usage", "", () -> new UsageReport(usage.total(), usage.byAgentAndModel(),
                                                             usage.byFeature()));
    }

    private void putFeature(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        ingestor.activeFeature(id, bodies.json(req));
        answers.sendUncached(res, new ActiveFeatureSet(id, "ok"));
    }

    /** {@code GET /api/usage}. */
    record UsageReport(Usage total, List<UsageQueries.AgentModel> byAgentModel, List<UsageQueries.Keyed> byFeature) {
    }

    /** The answer to a feature change. */
    record ActiveFeatureSet(String sessionId, String status) {
    }
}
