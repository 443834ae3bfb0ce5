package io.htmlgraph.sidecar.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.htmlgraph.sidecar.ingest.Ingestor;
import io.htmlgraph.sidecar.metrics.IngestMetrics;

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

    private static final HeaderName FEATURE = HeaderNames.create("X-Htmlgraph-Feature");

    private final Ingestor ingestor;
    private final Json json;
    private final long maxBodyBytes;
    /** With a write token every write carries a header no cross-site page can set; without, the Content-Type must. */
    private final boolean tokenGuarded;
    private final IngestMetrics metrics;

    IngestService(Ingestor ingestor, Json json, long maxBodyBytes, boolean tokenGuarded, IngestMetrics metrics) {
        this.ingestor = ingestor;
        this.tokenGuarded = tokenGuarded;
        this.json = json;
        this.maxBodyBytes = maxBodyBytes;
        this.metrics = metrics;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/api/hooks", counted("hooks", this::postHooks))
             .post("/api/hooks/{name}", counted("hooks", this::postNamedHooks))
             .post("/events", counted("envelopes", this::postEnvelopes))
             .post("/api/spawner-events", counted("spawner", this::postSpawnerEvents));
    }

    /** The ingest source of a request path (the {@code source} label of the ingest metrics), if it is one. */
    static Optional<String> source(String path) {
        return switch (path) {
            case "/api/hooks" -> Optional.of("hooks");
            case "/events" -> Optional.of("envelopes");
            case "/api/spawner-events" -> Optional.of("spawner");
            case "/v1/logs", "/v1/metrics", "/v1/traces" -> Optional.of("otlp");
            default -> path.startsWith("/api/hooks/") ? Optional.of("hooks") : Optional.empty();
        };
    }

    private int postHooks(ServerRequest req, ServerResponse res) {
        return answer(res, ingestor.hooks(body(req), null, feature(req)));
    }

    private int postNamedHooks(ServerRequest req, ServerResponse res) {
        return answer(res, ingestor.hooks(body(req), req.path().pathParameters().get("name"), feature(req)));
    }

    /** The {@code X-Htmlgraph-Feature} header: the feature of hook events and spawner runs whose payload names none. */
    private static String feature(ServerRequest req) {
        return req.headers().first(FEATURE).map(String::trim).filter(f -> !f.isEmpty() && f.length() <= 256)
                .orElse(null);
    }

    private int postEnvelopes(ServerRequest req, ServerResponse res) {
        return answerCount(res, ingestor.envelopes(body(req)));
    }

    private int postSpawnerEvents(ServerRequest req, ServerResponse res) {
        return answerCount(res, ingestor.spawnerEvents(body(req), feature(req)));
    }

    private int answer(ServerResponse res, int accepted) {
        res.header("X-Accepted-Events", String.valueOf(accepted));
        json.send(res, accepted == 1 ? Map.of() : Map.of("accepted", accepted));
        return accepted;
    }

    private int answerCount(ServerResponse res, int accepted) {
        json.send(res, Map.of("accepted", accepted));
        return accepted;
    }

    /** An ingest handler that counts its accepted events, its refusals (by error code) and its time. */
    private Handler counted(String source, IngestHandler handler) {
        return (req, res) -> {
            long started = System.nanoTime();
            try {
                metrics.accepted(source, handler.handle(req, res));
            } catch (RuntimeException e) {
                metrics.rejected(source, ErrorHandling.code(e));
                throw e;
            } finally {
                metrics.answered(source, System.nanoTime() - started);
            }
        };
    }

    /** A handler that answers and returns how many events it stored. */
    private interface IngestHandler {
        int handle(ServerRequest req, ServerResponse res);
    }

    /** The request body, refused with 415 for a non-JSON type and 413 past the size limit, however it is sent. */
    byte[] body(ServerRequest req) {
        Optional<HttpMediaType> type = req.headers().contentType();
        if (type.isEmpty() && !tokenGuarded) {
            throw new ApiException(Status.UNSUPPORTED_MEDIA_TYPE_415, "unsupported_media_type",
                    "send 'Content-Type: application/json' (or application/x-ndjson): a write without it could come"
                    + " from any web page");
        }
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
        } catch (IOException | UncheckedIOException e) {
            // a body that ends early or is not valid gzip (Content-Encoding: gzip)
            throw new ApiException(Status.BAD_REQUEST_400, "bad_request", "the body cannot be read: "
                                                                         + e.getMessage());
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
