package io.htmlgraph.sidecar.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.helidon.http.HttpMediaType;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
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
    private static final Set<String> JSON_TYPES = Set.of("application/json", "application/x-ndjson",
            "application/ndjson", "application/jsonl", "application/x-jsonlines", "text/json");

    private final Ingestor ingestor;
    private final Json json;
    private final long maxBodyBytes;

    IngestService(Ingestor ingestor, Json json, long maxBodyBytes) {
        this.ingestor = ingestor;
        this.json = json;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/api/hooks", this::postHooks)
             .post("/api/hooks/{name}", this::postNamedHooks)
             .post("/events", this::postEnvelopes)
             .post("/api/spawner-events", this::postSpawnerEvents);
    }

    private void postHooks(ServerRequest req, ServerResponse res) {
        answer(res, ingestor.hooks(body(req), null));
    }

    private void postNamedHooks(ServerRequest req, ServerResponse res) {
        answer(res, ingestor.hooks(body(req), req.path().pathParameters().get("name")));
    }

    private void postEnvelopes(ServerRequest req, ServerResponse res) {
        json.send(res, Map.of("accepted", ingestor.envelopes(body(req))));
    }

    private void postSpawnerEvents(ServerRequest req, ServerResponse res) {
        json.send(res, Map.of("accepted", ingestor.spawnerEvents(body(req))));
    }

    private void answer(ServerResponse res, int accepted) {
        res.header("X-Accepted-Events", String.valueOf(accepted));
        json.send(res, accepted == 1 ? Map.of() : Map.of("accepted", accepted));
    }

    /** The request body, refused with 415 for a non-JSON type and 413 past the size limit, however it is sent. */
    byte[] body(ServerRequest req) {
        Optional<HttpMediaType> type = req.headers().contentType();
        if (type.isPresent() && !isJson(type.get())) {
            throw new ApiException(Status.UNSUPPORTED_MEDIA_TYPE_415, "unsupported_media_type",
                    "send 'Content-Type: application/json' (or application/x-ndjson), not '" + type.get().text() + "'");
        }
        if (req.headers().contentLength().orElse(0) > maxBodyBytes) {
            throw tooLarge();
        }
        try (InputStream in = req.content().inputStream()) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
            if (body.length > maxBodyBytes) {
                throw tooLarge();
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isJson(HttpMediaType type) {
        String name = type.mediaType().text().toLowerCase();
        return JSON_TYPES.contains(name) || name.endsWith("+json");
    }

    private ApiException tooLarge() {
        return new ApiException(Status.REQUEST_ENTITY_TOO_LARGE_413, "payload_too_large",
                "the body is larger than " + maxBodyBytes + " bytes (HTMLGRAPH_MAX_BODY_BYTES)");
    }
}
