package io.htmlgraph.sidecar.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import io.htmlgraph.sidecar.domain.BadInputException;
import io.htmlgraph.sidecar.domain.ErrorCode;

/** Checks of single JSON fields, each failing with a {@link BadInputException} that names the field. */
final class Fields {
    static final int MAX_ID = 256;
    /** The longest duration kept: 30 days (longer ones are clamped to it). */
    static final long MAX_DURATION_MS = 30L * 24 * 3600 * 1000;

    private Fields() {
    }

    /** A non-blank string of at most {@link #MAX_ID} characters, cleaned as an identifier. */
    static String requiredText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new BadInputException(ErrorCode.MISSING_FIELD, "'" + field + "' is required");
        }
        if (!value.isTextual() || value.textValue().isBlank()) {
            throw new BadInputException(ErrorCode.INVALID_FIELD, "'" + field + "' must be a non-empty string");
        }
        return Identifiers.clean(field, checkLength(field, value.textValue()));
    }

    /** An optional id: null when absent or blank, else at most {@link #MAX_ID} characters, cleaned. */
    static String optionalId(JsonNode node, String field) {
        String value = Summaries.text(node, field);
        return value == null || value.isBlank() ? null : Identifiers.clean(field, checkLength(field, value));
    }

    /** When present and not null, the field must have the given JSON type. */
    static void checkType(JsonNode node, String field, JsonNodeType type) {
        checkType(node, field, field, type);
    }

    /** As {@link #checkType(JsonNode, String, JsonNodeType)}, naming the field {@code shownName} in the error. */
    static void checkType(JsonNode node, String field, String shownName, JsonNodeType type) {
        JsonNode value = node.get(field);
        if (value != null && !value.isNull() && value.getNodeType() != type) {
            throw new BadInputException(ErrorCode.INVALID_FIELD, "'" + shownName + "' must be a "
                    + type.name().toLowerCase() + ", got " + value.getNodeType().name().toLowerCase());
        }
    }

    /**
     * An optional duration in milliseconds: absent or null gives null; a negative, fractional-overflowing or non-finite
     * number is refused; more than {@code max} is clamped to it (a clock cannot have run that long for one call).
     */
    static Long millis(JsonNode node, String field, long max) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        double ms = value.doubleValue();
        if (!value.isNumber() || !Double.isFinite(ms) || ms < 0) {
            throw new BadInputException(ErrorCode.INVALID_FIELD, "'" + field
                    + "' must be a number of milliseconds >= 0");
        }
        return ms >= max ? max : value.canConvertToLong() ? value.longValue() : (long) ms;
    }

    /** An optional number within {@code min..max} (both documented), else refused. */
    static Double bounded(JsonNode node, String field, String shownName, double min, double max) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        double number = value.doubleValue();
        if (!value.isNumber() || !Double.isFinite(number) || number < min || number > max) {
            throw new BadInputException(ErrorCode.INVALID_FIELD, "'" + shownName + "' must be a number from "
                    + (long) min
                    + " to " + (long) max);
        }
        return number;
    }

    private static String checkLength(String field, String value) {
        if (value.length() > MAX_ID) {
            throw new BadInputException(ErrorCode.INVALID_FIELD, "'" + field + "' is longer than " + MAX_ID
                    + " characters");
        }
        return value;
    }
}
