package io.htmlgraph.sidecar.ingest;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.htmlgraph.sidecar.domain.BadInputException;
import io.htmlgraph.sidecar.correlate.EventWriter;
import io.htmlgraph.sidecar.domain.ActiveFeature;
import io.htmlgraph.sidecar.domain.ErrorCode;
import io.htmlgraph.sidecar.domain.FeatureChange;
import io.htmlgraph.sidecar.domain.IngestEvent;
import io.htmlgraph.sidecar.domain.SpawnerEvent;
import io.htmlgraph.sidecar.domain.UsageItem;

/**
 * The ingest path: parse a request body, validate and normalise every event in it as it is read, then store them all
 * in one all-or-nothing write. A bad element rejects the whole request and says which element it was.
 */
public final class Ingestor {
    private final JsonBodies bodies;
    private final Sanitizer sanitizer;
    private final HookNormalizer normalizer;
    private final SpawnerNormalizer spawners;
    private final FeatureNormalizer features;
    private final EventWriter writer;
    private final Clock clock;
    private final List<Consumer<List<IngestEvent>>> hookListeners = new CopyOnWriteArrayList<>();

    public Ingestor(ObjectMapper mapper, int payloadMaxBytes, boolean metadataOnly, EventWriter writer, Clock clock) {
        this.bodies = new JsonBodies(mapper);
        this.sanitizer = new Sanitizer(mapper, payloadMaxBytes, metadataOnly);
        this.normalizer = new HookNormalizer(sanitizer);
        this.spawners = new SpawnerNormalizer(sanitizer);
        // Features are work items people and agents name on purpose: masked, but kept readable in metadata-only mode.
        this.features = new FeatureNormalizer(new Sanitizer(mapper, payloadMaxBytes, false));
        this.writer = writer;
        this.clock = clock;
    }

    /**
     * Claude Code hook payloads, as sent to {@code POST /api/hooks[/{name}]}.
     *
     * @param pathEventName the hook name from the URL, or null
     * @return how many events were accepted
     */
    public int hooks(byte[] body, String pathEventName) {
        return hooks(new ByteArrayInputStream(body), pathEventName, null);
    }

    /**
     * As {@link #hooks(byte[], String)}, reading the body as it arrives; {@code featureHeader}
     * ({@code X-Htmlgraph-Feature}) names the feature of events whose payload has no {@code feature_id}.
     */
    public int hooks(InputStream body, String pathEventName, String featureHeader) {
        String feature = headerFeature(featureHeader);
        Instant at = clock.instant();
        RequestTexts repeated = new RequestTexts();
        RequestEvents events = new RequestEvents(sanitizer);
        bodies.forEach(body, event ->
                events.add(normalizer.normalizeInRequest(event, pathEventName, at, feature, repeated), event));
        List<IngestEvent> normalized = events.all();
        writer.write(normalized);
        hookListeners.forEach(listener -> listener.accept(normalized));
        return normalized.size();
    }

    /** The {@code X-Htmlgraph-Feature} header as an id: checked and, if a credential, masked like a payload's. */
    private static String headerFeature(String header) {
        return header == null ? null : Identifiers.clean("X-Htmlgraph-Feature", header);
    }

    /** Calls {@code listener} with every stored batch of hook events (the transcript reader learns paths from it). */
    public void onHooks(Consumer<List<IngestEvent>> listener) {
        hookListeners.add(listener);
    }

    /**
     * Envelopes of claude-code-hooks-multi-agent-observability ({@code POST /events}):
     * {@code {source_app, session_id, hook_event_type, payload, timestamp?, model_name?}}.
     */
    public int envelopes(InputStream body) {
        List<IngestEvent> normalized = bodies.map(body, this::envelope);
        writer.write(normalized);
        return normalized.size();
    }

    /**
     * Spawner run events ({@code POST /api/spawner-events}); returns how many were accepted. {@code featureHeader}
     * is the request's {@code X-Htmlgraph-Feature}, the feature of runs whose payload names none.
     */
    public int spawnerEvents(InputStream body, String featureHeader) {
        String feature = headerFeature(featureHeader);
        Instant at = clock.instant();
        List<SpawnerEvent> normalized = bodies.map(body, event -> spawners.normalize(event, at, feature));
        writer.write(normalized);
        return normalized.size();
    }

    /**
     * Creates ({@code id} null) or updates a feature from a JSON object body.
     *
     * @return the feature's id
     */
    public String feature(byte[] body, String id) {
        List<ObjectNode> objects = bodies.parse(body);
        if (objects.size() != 1) {
            throw new BadInputException(ErrorCode.INVALID_EVENT, "send one JSON object");
        }
        FeatureChange change = features.normalize(objects.get(0), id, clock.instant());
        writer.write(List.of(change));
        return change.id();
    }

    /** Spawner events made by a program (the demo generator), stored at their own times. */
    public void generatedSpawnerEvents(List<ObjectNode> events, List<Instant> times) {
        List<SpawnerEvent> normalized = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            normalized.add(spawners.normalize(events.get(i), times.get(i), null));
        }
        writer.write(normalized);
    }

    /** What a transcript would tell, made by a program (the demo generator: which request asked for each call). */
    public void generatedUsage(List<? extends UsageItem> items) {
        writer.write(items);
    }

    /** Hook events made by a program (the demo generator), stored as if they had arrived at their own times. */
    public void generated(List<ObjectNode> events, List<Instant> times) {
        List<IngestEvent> normalized = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            normalized.add(normalizer.normalize(events.get(i), null, "demo", times.get(i), null));
        }
        writer.write(normalized);
    }

    private IngestEvent envelope(ObjectNode envelope) {
        JsonNode type = envelope.get("hook_event_type");
        if (type == null || !type.isTextual()) {
            throw new BadInputException(type == null ? ErrorCode.MISSING_FIELD : ErrorCode.INVALID_FIELD,
                    "'hook_event_type' is required and must be a string");
        }
        JsonNode payload = envelope.get("payload");
        if (payload != null && !payload.isNull() && !payload.isObject()) {
            throw new BadInputException(ErrorCode.INVALID_FIELD, "'payload' must be an object");
        }
        ObjectNode event = payload instanceof ObjectNode object ? object : envelope.objectNode();
        event.put("hook_event_name", type.textValue());
        JsonNode session = envelope.get("session_id");
        if (session != null && !event.has("session_id")) {
            event.set("session_id", session);
        }
        JsonNode model = envelope.get("model_name");
        if (model != null && model.isTextual() && !event.has("model")) {
            event.set("model", model);
        }
        JsonNode sourceApp = envelope.get("source_app");
        if (sourceApp != null && !sourceApp.isNull() && !sourceApp.isTextual()) {
            throw new BadInputException(ErrorCode.INVALID_FIELD, "'source_app' must be a string");
        }
        return normalizer.normalize(event, null, "envelope", time(envelope.get("timestamp")),
                sourceApp == null || sourceApp.isNull() ? null
                        : Identifiers.clean("source_app", sourceApp.textValue()));
    }

    /**
     * The envelope's {@code timestamp}: epoch milliseconds, as that project sends it; receipt time when absent or
     * later (a sender's clock ahead of ours must not put events in the future: they would stay newest and active).
     */
    private Instant time(JsonNode timestamp) {
        Instant now = clock.instant();
        if (timestamp == null || timestamp.isNull()) {
            return now;
        }
        if (!timestamp.canConvertToLong() || timestamp.longValue() < 0) {
            throw new BadInputException(ErrorCode.INVALID_FIELD, "'timestamp' must be epoch milliseconds");
        }
        Instant sent = Instant.ofEpochMilli(timestamp.longValue());
        return sent.isAfter(now) ? now : sent;
    }

    /**
     * Sets the feature a session works on ({@code {"feature_id": "…"}}, or null to clear): its next events and their
     * usage count for it. The session is created if it was never seen.
     */
    public void activeFeature(String sessionId, byte[] body) {
        List<ObjectNode> objects = bodies.parse(body);
        if (objects.size() != 1) {
            throw new BadInputException(ErrorCode.INVALID_EVENT, "send one JSON object");
        }
        Fields.checkType(objects.get(0), "feature_id", JsonNodeType.STRING);
        if (sessionId.isBlank() || sessionId.length() > Fields.MAX_ID) {
            throw new BadInputException(ErrorCode.INVALID_FIELD, "the session id must be 1.." + Fields.MAX_ID
                    + " characters");
        }
        Identifiers.checkText("session_id", sessionId);
        writer.write(List.of(new ActiveFeature(sessionId, Fields.optionalId(objects.get(0), "feature_id"))));
    }
}
