package io.htmlgraph.sidecar.web;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.htmlgraph.sidecar.domain.ErrorCode;
import io.htmlgraph.sidecar.query.EventQueries;

/** Reads and checks query parameters; anything out of range is a 400 naming the parameter. */
final class QueryParams {
    private static final String TIMESTAMP = "(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z)";
    /** An id may hold commas: everything after the timestamp's comma is the id. */
    private static final Pattern CURSOR = Pattern.compile(TIMESTAMP + ",(.+)");
    /** The id part of an events' cursor in its old form, {@code <timestamp>,<sequence>}. */
    private static final Pattern SEQUENCE = Pattern.compile("\\d+");
    private final ServerRequest req;

    QueryParams(ServerRequest req) {
        this.req = req;
    }

    /** {@code limit}: 1..max, {@code fallback} when absent. */
    int limit(int fallback, int max) {
        return bounded("limit", fallback, 1, max);
    }

    /** {@code offset}: 0..1,000,000, 0 when absent. */
    int offset() {
        return bounded("offset", 0, 0, 1_000_000);
    }

    /**
     * {@code cursor}: {@code <timestamp>,<event_id>} of the last event of the previous page (its {@code timestamp}
     * and {@code event_id} fields); null when absent. Digits alone in place of the id are refused: that is the
     * cursor's old form, keyed by the event's {@code sequence}, and no event id is only digits.
     */
    EventQueries.Cursor cursor() {
        EventQueries.Cursor cursor = keyCursor("<timestamp>,<event_id> of an event", "evt-1a23…");
        if (cursor != null && SEQUENCE.matcher(cursor.id()).matches()) {
            throw invalid("cursor", "takes the last event's event_id, no longer its sequence: <timestamp>,<event_id>,"
                                    + " e.g. 2026-11-30T12:00:00.000Z,evt-1a23…");
        }
        return cursor;
    }

    /** {@code cursor} of a session list: {@code <started_at>,<session_id>} of the last session of the previous page. */
    EventQueries.Cursor sessionCursor() {
        return keyCursor("<started_at>,<session_id> of a session", "5f1c…");
    }

    /** {@code cursor} of the spawner runs: {@code <timestamp>,<event_id>} of the last run of the previous page. */
    EventQueries.Cursor spawnerCursor() {
        return keyCursor("<timestamp>,<event_id> of a spawner run", "evt-1a23…");
    }

    /** {@code cursor}: a time and an id ({@code shape} says which, for the error); null when absent. */
    private EventQueries.Cursor keyCursor(String shape, String exampleId) {
        String value = text("cursor");
        if (value == null) {
            return null;
        }
        Matcher m = CURSOR.matcher(value);
        if (!m.matches()) {
            throw invalid("cursor", "must be " + shape + ", e.g. 2026-11-30T12:00:00.000Z," + exampleId);
        }
        return new EventQueries.Cursor(m.group(1), m.group(2));
    }

    /** An optional text parameter (at most 256 characters); an empty value counts as absent. */
    String text(String name) {
        Optional<String> value = req.query().first(name).asOptional().map(String::trim).filter(v -> !v.isEmpty());
        if (value.isPresent() && value.get().length() > 256) {
            throw invalid(name, "is longer than 256 characters");
        }
        return value.orElse(null);
    }

    /** A text parameter that must be present. */
    String required(String name) {
        String value = text(name);
        if (value == null) {
            throw invalid(name, "is required");
        }
        return value;
    }

    /** An optional parameter that must be one of {@code allowed}. */
    String oneOf(String name, Set<String> allowed) {
        String value = text(name);
        if (value != null && !allowed.contains(value)) {
            throw invalid(name, "must be one of " + String.join(", ", allowed.stream().sorted().toList()));
        }
        return value;
    }

    /** An optional boolean: {@code true}/{@code false} (also 1/0, yes/no), {@code fallback} when absent. */
    boolean bool(String name, boolean fallback) {
        String value = text(name);
        if (value == null) {
            return fallback;
        }
        return switch (value.toLowerCase()) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw invalid(name, "must be true or false");
        };
    }

    /** The validated parameters in a canonical order, as a cache key. */
    static String key(Object... nameValuePairs) {
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            key.append(nameValuePairs[i]).append('=').append(nameValuePairs[i + 1]).append('&');
        }
        return key.toString();
    }

    /** An optional whole number in {@code min..max}, {@code fallback} when absent. */
    int number(String name, int fallback, int min, int max) {
        return bounded(name, fallback, min, max);
    }

    private int bounded(String name, int fallback, int min, int max) {
        Optional<String> raw = req.query().first(name).asOptional();
        if (raw.isEmpty()) {
            return fallback;
        }
        int value;
        try {
            value = Integer.parseInt(raw.get().trim());
        } catch (NumberFormatException e) {
            throw invalid(name, "must be a whole number");
        }
        if (value < min || value > max) {
            throw invalid(name, "must be between " + min + " and " + max);
        }
        return value;
    }

    private static ApiException invalid(String name, String problem) {
        return new ApiException(Status.BAD_REQUEST_400, ErrorCode.INVALID_PARAMETER, "'" + name + "' " + problem);
    }
}
