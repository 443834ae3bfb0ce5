package io.htmlgraph.sidecar.ingest;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.htmlgraph.sidecar.domain.BadInputException;
import io.htmlgraph.sidecar.domain.ErrorCode;

/**
 * The attributes of one OTLP record (resource attributes, then the record's own, which win) as plain values, read
 * leniently: numbers may come as numbers or strings, as OTLP exporters differ. A value of the wrong kind is
 * a {@link BadInputException} (the record is rejected, not the request).
 */
final class Attrs {
    private final Map<String, Object> values = new HashMap<>();

    Attrs(List<KeyValue> resource, List<KeyValue> own) {
        put(resource);
        put(own);
    }

    private void put(List<KeyValue> attributes) {
        for (KeyValue kv : attributes) {
            Object value = plain(kv.getValue());
            if (value != null) {
                values.put(kv.getKey(), value);
            }
        }
    }

    private static Object plain(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case INT_VALUE -> v.getIntValue();
            case DOUBLE_VALUE -> v.getDoubleValue();
            case BOOL_VALUE -> v.getBoolValue();
            default -> null; // arrays, maps and bytes: nothing we read
        };
    }

    /** A text attribute (numbers and booleans as text); null when absent or blank. Ids are capped. */
    String text(String key) {
        Object v = values.get(key);
        if (v == null) {
            return null;
        }
        String text = v instanceof Double d && d == Math.rint(d) ? String.valueOf(d.longValue()) : v.toString();
        return text.isBlank() ? null : text;
    }

    /** An id: text of at most {@value Fields#MAX_ID} characters. */
    String id(String key) {
        String text = text(key);
        if (text != null && text.length() > Fields.MAX_ID) {
            throw new BadInputException(ErrorCode.INVALID_ATTRIBUTE, "'" + key + "' is longer than " + Fields.MAX_ID);
        }
        return text;
    }

    /** A whole number ≥ 0, or null when absent. */
    Long count(String key) {
        Double d = number(key);
        if (d == null) {
            return null;
        }
        if (d < 0 || d != Math.rint(d) || d > 1e15) {
            throw new BadInputException(ErrorCode.INVALID_ATTRIBUTE, "'" + key + "' must be a whole number >= 0");
        }
        return d.longValue();
    }

    /** A finite number ≥ 0, or null when absent. */
    Double number(String key) {
        Object v = values.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Long l) {
            return number(Map.entry(key, l.doubleValue()));
        }
        if (v instanceof Double d) {
            return number(Map.entry(key, d));
        }
        try {
            return number(Map.entry(key, Double.parseDouble(v.toString().trim())));
        } catch (NumberFormatException e) {
            throw new BadInputException(ErrorCode.INVALID_ATTRIBUTE, "'" + key + "' must be a number");
        }
    }

    private static Double number(Map.Entry<String, Double> parsed) {
        double d = parsed.getValue();
        if (d < 0 || d != d || Double.isInfinite(d)) {
            throw new BadInputException(ErrorCode.INVALID_ATTRIBUTE, "'" + parsed.getKey() + "' must be a number >= 0");
        }
        return d;
    }

    /** A boolean (also {@code "true"}/{@code "false"}), or null. */
    Boolean flag(String key) {
        Object v = values.get(key);
        return v == null ? null : v instanceof Boolean b ? b : "true".equalsIgnoreCase(v.toString().trim());
    }

    /** An ISO-8601 instant attribute ({@code event.timestamp}), or null when absent or unreadable. */
    Instant instant(String key) {
        String text = text(key);
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** All attributes in key order as one text: the identity of a metric series or a record without an id. */
    String canonical() {
        return new TreeMap<>(values).toString();
    }
}
