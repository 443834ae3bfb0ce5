package io.htmlgraph.sidecar.domain;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The one timestamp format of the store and the API: ISO-8601 UTC with milliseconds, sortable as text. */
public final class Timestamps {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    /** Formats an instant, e.g. {@code 2026-11-27T02:15:04.120Z}. */
    public static String format(Instant instant) {
        return FORMAT.format(instant);
    }

    /** Parses a stored timestamp. */
    public static Instant parse(String text) {
        return Instant.parse(text);
    }

    /** Seconds between two stored timestamps, to the millisecond. */
    public static double secondsBetween(String start, String end) {
        return (parse(end).toEpochMilli() - parse(start).toEpochMilli()) / 1000.0;
    }
}
