package io.htmlgraph.sidecar.ingest;

import java.time.Instant;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.htmlgraph.sidecar.domain.SpawnerEvent;

/** Turns one spawner event ({@code POST /api/spawner-events}) into a {@link SpawnerEvent}, checking its fields. */
final class SpawnerNormalizer {
    private static final Pattern SPAWNER_TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}");
    private static final Map<String, JsonNodeType> DATA_TYPES = Map.of(
            "run_id", JsonNodeType.STRING, "prompt_preview", JsonNodeType.STRING, "phase", JsonNodeType.STRING,
            "tool_name", JsonNodeType.STRING, "success", JsonNodeType.BOOLEAN, "duration_seconds", JsonNodeType.NUMBER,
            "tokens_used", JsonNodeType.NUMBER, "cost_usd", JsonNodeType.NUMBER, "error", JsonNodeType.STRING,
            "model", JsonNodeType.STRING);

    private final Sanitizer sanitizer;

    SpawnerNormalizer(Sanitizer sanitizer) {
        this.sanitizer = sanitizer;
    }

    SpawnerEvent normalize(ObjectNode event, Instant at) {
        String sessionId = Fields.requiredText(event, "session_id");
        String typeName = Fields.requiredText(event, "event_type");
        SpawnerEvent.Type type = SpawnerEvent.Type.of(typeName);
        if (type == null) {
            throw new BadInputException("invalid_field", "'event_type' must be one of spawner_start, spawner_phase,"
                    + " spawner_tool_use, spawner_message, spawner_complete");
        }
        String spawnerType = Fields.requiredText(event, "spawner_type");
        if (!SPAWNER_TYPE.matcher(spawnerType).matches()) {
            throw new BadInputException("invalid_field", "'spawner_type' must be a name like gemini (at most 64)");
        }
        Fields.checkType(event, "parent_event_id", JsonNodeType.STRING);
        Fields.checkType(event, "data", JsonNodeType.OBJECT);
        ObjectNode data = event.get("data") instanceof ObjectNode object ? object : event.objectNode();
        DATA_TYPES.forEach((field, fieldType) -> Fields.checkType(data, field, "data." + field, fieldType));
        if (data.has("tokens_used") && !data.get("tokens_used").canConvertToLong()) {
            throw new BadInputException("invalid_field", "'data.tokens_used' must be a whole number");
        }
        sanitizer.clean(data);
        String stored = sanitizer.payload(data);
        String parent = Fields.optionalId(event, "parent_event_id");
        return new SpawnerEvent(at, sessionId, type, spawnerType,
                parent,
                Fields.optionalId(data, "run_id"),
                Summaries.text(data, "prompt_preview"),
                detail(type, data),
                success(data),
                data.path("duration_seconds").isNumber() ? data.get("duration_seconds").doubleValue() : null,
                data.path("tokens_used").isNumber() ? data.get("tokens_used").longValue() : null,
                data.path("cost_usd").isNumber() ? data.get("cost_usd").doubleValue() : null,
                Summaries.text(data, "model"),
                stored,
                Sanitizer.hash(typeName + '\n' + spawnerType + '\n' + parent + '\n' + stored));
    }

    /** {@code data.success}; a run that reports an error and no success flag failed. */
    private static Boolean success(JsonNode data) {
        if (data.path("success").isBoolean()) {
            return data.get("success").booleanValue();
        }
        String error = Summaries.text(data, "error");
        return error != null && !error.isBlank() ? Boolean.FALSE : null;
    }

    /** What the run shows as its output: the error or response of a completion, else the latest phase or tool. */
    private static String detail(SpawnerEvent.Type type, JsonNode data) {
        String text = switch (type) {
            case COMPLETE -> Summaries.text(data, "error") != null ? Summaries.text(data, "error")
                    : Summaries.text(data, "response_preview");
            case PHASE -> Summaries.text(data, "phase");
            case TOOL_USE -> Summaries.text(data, "tool_name");
            case MESSAGE -> Summaries.text(data, "message");
            case START -> null;
        };
        return text == null ? null : Sanitizer.truncate(text, Summaries.MAX);
    }
}
