package io.htmlgraph.sidecar.web;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.htmlgraph.sidecar.domain.ErrorCode;
import io.htmlgraph.sidecar.domain.Feature;
import io.htmlgraph.sidecar.domain.FeatureStatus;
import io.htmlgraph.sidecar.domain.Vocabulary;
import io.htmlgraph.sidecar.ingest.Ingestor;
import io.htmlgraph.sidecar.query.FeatureQueries;

/**
 * Features for the kanban: list (critical first), read, create and update.
 * <pre>
 * curl -H 'Content-Type: application/json' -d '{"title":"Retry uploads","priority":"high"}' \
 *      http://127.0.0.1:8080/api/features
 * curl -X PATCH -H 'Content-Type: application/json' -d '{"status":"in_progress"}' \
 *      http://127.0.0.1:8080/api/features/feat-1a2b3c4d
 * curl 'http://127.0.0.1:8080/api/features?status=todo'
 * </pre>
 */
final class FeatureService implements HttpService {
    static final int MAX_FEATURES = 500;

    private final FeatureQueries features;
    private final Ingestor ingestor;
    private final RequestBodies bodies;
    private final Answers answers;

    FeatureService(FeatureQueries features, Ingestor ingestor, RequestBodies bodies, Answers answers) {
        this.features = features;
        this.ingestor = ingestor;
        this.bodies = bodies;
        this.answers = answers;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::getFeatures)
             .post("/", this::postFeature)
             .get("/{id}", this::getFeature)
             .patch("/{id}", this::patchFeature);
    }

    private void getFeatures(ServerRequest req, ServerResponse res) {
        QueryParams q = new QueryParams(req);
        String status = q.oneOf("status", Vocabulary.values(FeatureStatus.class));
        int limit = q.limit(100, MAX_FEATURES);
        int offset = q.offset();
        answers.send(res, "features", QueryParams.key("status", status, "limit", limit, "offset", offset),
                     () -> features.features(status, limit, offset));
    }

    private void getFeature(ServerRequest req, ServerResponse res) {
        answers.sendUncached(res, existing(req.path().pathParameters().get("id")));
    }

    private void postFeature(ServerRequest req, ServerResponse res) {
        String id = ingestor.feature(bodies.json(req), null);
        res.status(Status.CREATED_201);
        answers.sendUncached(res, existing(id));
    }

    private void patchFeature(ServerRequest req, ServerResponse res) {
        String id = existing(req.path().pathParameters().get("id")).id();
        ingestor.feature(bodies.json(req), id);
        answers.sendUncached(res, existing(id));
    }

    private Feature existing(String id) {
        return features.feature(id).orElseThrow(
                () -> new ApiException(Status.NOT_FOUND_404, ErrorCode.NOT_FOUND, "no feature '" + id + "'"));
    }
}
