package io.htmlgraph.sidecar.ingest;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.htmlgraph.sidecar.domain.BadInputException;
import io.htmlgraph.sidecar.domain.ErrorCode;
import io.htmlgraph.sidecar.domain.SessionTotals;
import io.htmlgraph.sidecar.domain.SpawnerEvent;

/** Turns one spawner event ({@code POST /api/spawner-events}) into a {@link SpawnerEvent}, checking its fields. */
final class SpawnerNormalizer {
    private static final Pattern SPAWNER_TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}");
    private static final List<String> TOKEN_FIELDS = List.of("tokens_used", "input_tokens", "output_tokens",
                                                             "cache_read_tokens", "cache_creation_tokens");
    private static final Map<String, JsonNodeType> DATA_TYPES = dataTypes();
    /** Bounds that keep sums from overflowing: no run uses a quadrillion tokens or a billion dollars. */
    private static final long MAX_TOKENS = 1_000_000_000_000_000L;

    private final Sanitizer sanitizer;

    SpawnerNormalizer(Sanitizer sanitizer) {
        this.sanitizer = sanitizer;
    }

    private static Map<String, JsonNodeType> dataTypes() {
        Map<String, JsonNodeType> types = new HashMap<>(Map.of("run_id", JsonNodeType.STRING,
                "prompt_preview", JsonNodeType.STRING, "phase", JsonNodeType.STRING, "tool_name", JsonNodeType.STRING,
                "success", JsonNodeType.BOOLEAN, "duration_seconds", JsonNodeType.NUMBER,
                "cost_usd", JsonNodeType.NUMBER, "error", JsonNodeType.STRING, "model", JsonNodeType.STRING));
        TOKEN_FIELDS.forEach(field -> types.put(field, JsonNodeType.NUMBER));
        types.put("feature_id", JsonNodeType.STRING);
        return Map.copyOf(types);
    }

    SpawnerEvent normalize(ObjectNode event, Instant at, String featureHeader) {
        String sessionId = Fields.requiredText(event, "session_id");
        String typeName = Fields.requiredText(event, "event_type");
        SpawnerEvent.Type type = SpawnerEvent.Type.of(typeName);
        if (type == null) {
            throw new BadInputException(ErrorCode.INVALID_FIELD,
                    "'event_type' must be one of spawner_start, spawner_phase,"
                    + " spawner_tool_use, spawner_message, spawner_complete");
        }
        String spawnerType = Fields.requiredText(event, "spawner_type");
        if (!SPAWNER_TYPE.matcher(spawnerType).matches()) {
            throw new BadInputException(ErrorCode.INVALID_FIELD,
                    "'spawner_type' must be a name like gemini (at most 64)");
        }
        Fields.checkType(event, "parent_event_id", JsonNodeType.STRING);
        Fields.checkType(event, "data", JsonNodeType.OBJECT);
        Fields.checkType(event, "feature_id", JsonNodeType.STRING);
        ObjectNode data = event.get("data") instanceof ObjectNode object ? object : event.objectNode();
        DATA_TYPES.forEach((field, fieldType) -> Fields.checkType(data, field, "data." + field, fieldType));
        SessionTotals.Tokens tokens = tokens(data);
        sanitizer.clean(data);
        String stored = sanitizer.payload(data);
        String parent = Fields.optionalId(event, "parent_event_id");
        String feature = Fields.optionalId(event, "feature_id");
        feature = feature != null ? feature : Fields.optionalId(data, "feature_id");
        return new SpawnerEvent(at, sessionId, type, spawnerType,
                parent,
                Fields.optionalId(data, "run_id"),
                Summaries.text(data, "prompt_preview"),
                detail(type, data),
                success(data),
                Fields.bounded(data, "duration_seconds", "data.duration_seconds", 0, Fields.MAX_DURATION_MS / 1000.0),
                tokens,
                Fields.bounded(data, "cost_usd", "data.cost_usd", 0, UsageRecords.MAX_COST_USD),
                Identifiers.clean("data.model", Summaries.text(data, "model")),
                stored,
                Sanitizer.hash(typeName + '\n' + spawnerType + '\n' + parent + '\n' + stored),
                feature != null ? feature : featureHeader);
    }

    /** The reported tokens; the total is {@code tokens_used}, else the sum of the kinds given. */
    private static SessionTotals.Tokens tokens(JsonNode data) {
        Long input = count(data, "input_tokens");
        Long output = count(data, "output_tokens");
        Long cacheRead = count(data, "cache_read_tokens");
        Long cacheCreation = count(data, "cache_creation_tokens");
        Long total = count(data, "tokens_used");
        long kinds = Stream.of(input, output, cacheRead, cacheCreation).filter(Objects::nonNull)
                .mapToLong(Long::longValue).sum();
        boolean anyKind = Stream.of(input, output, cacheRead, cacheCreation).anyMatch(Objects::nonNull);
        if (total != null && total < kinds) {
            throw new BadInputException(ErrorCode.INVALID_FIELD,
                    "'data.tokens_used' is less than the tokens given by kind");
        }
        return new SessionTotals.Tokens(input, output, cacheRead, cacheCreation,
                                        total != null ? total : anyKind ? kinds : null);
    }

    /** A token count: a whole number >= 0, or null when absent. */
    private static Long count(JsonNode data, String field) {
        JsonNode value = data.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0
            || value.longValue() > MAX_TOKENS) {
            throw new BadInputException(ErrorCode.INVALID_FIELD, "'data." + field
                    + "' must be a whole number from 0 to "
                                                         + MAX_TOKENS);
        }
        return value.longValue();
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
