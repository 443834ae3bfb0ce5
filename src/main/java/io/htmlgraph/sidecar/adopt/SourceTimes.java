package io.htmlgraph.sidecar.adopt;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;

/**
 * Every timestamp form htmlgraph wrote, read as an instant: ISO-8601 with or without a zone ({@code T} or space
 * between date and time, any fraction), a bare date, and epoch seconds or milliseconds (number or text). A time
 * without a zone is UTC: SQLite's {@code CURRENT_TIMESTAMP} and Python's {@code utcnow()} wrote them.
 */
final class SourceTimes {
    /** Epoch values above this are milliseconds (in seconds it would be after the year 33658). */
    private static final double MILLIS_ABOVE = 1e12;

    private SourceTimes() {
    }

    /** The instant, or null when the value is absent or not a time. */
    static Instant parse(Object value) {
        if (value instanceof Number n) {
            return epoch(n.doubleValue());
        }
        if (value == null) {
            return null;
        }
        String text = value.toString().trim();
        if (text.isEmpty()) {
            return null;
        }
        if (isEpoch(text)) {
            return epoch(new BigDecimal(text).doubleValue());
        }
        return isSqlite(text) ? sqlite(text) : iso(text);
    }

    /**
     * Nine digits or more, maybe with a fraction ({@code 1767890454.5}). Checked by hand, as the SQLite form is: a
     * matcher per row was most of what reading times allocated.
     */
    private static boolean isEpoch(String t) {
        int digits = digits(t, 0);
        if (digits == t.length()) {
            return digits >= 9;
        }
        return digits >= 9 && t.charAt(digits) == '.' && digits + 1 < t.length() && digits(t, digits + 1) == t.length();
    }

    /** Where the ASCII digits from {@code from} on end. */
    private static int digits(String t, int from) {
        int i = from;
        while (i < t.length() && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    /** {@code 2026-01-08 17:48:23} (or with a {@code T}), as SQLite's {@code CURRENT_TIMESTAMP} wrote it. */
    private static boolean isSqlite(String t) {
        if (t.length() != 19) {
            return false;
        }
        for (int i = 0; i < 19; i++) {
            char c = t.charAt(i);
            boolean expected = switch (i) {
                case 4, 7 -> c == '-';
                case 10 -> c == ' ' || c == 'T';
                case 13, 16 -> c == ':';
                default -> c >= '0' && c <= '9';
            };
            if (!expected) {
                return false;
            }
        }
        return true;
    }

    private static Instant epoch(double value) {
        if (value <= 0 || Double.isNaN(value) || Double.isInfinite(value)) {
            return null;
        }
        long millis = value > MILLIS_ABOVE ? (long) value : Math.round(value * 1000);
        return Instant.ofEpochMilli(millis);
    }

    /** Whether a zone or offset follows the time of day ({@code Z}, {@code +01:00}, {@code [Europe/Paris]}). */
    private static boolean zoned(String t) {
        for (int i = Math.min(t.length(), 19); i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == 'Z' || c == 'z' || c == '+' || c == '-' || c == '[') {
                return true;
            }
        }
        return false;
    }

    /** Most of htmlgraph's times, read without java.time's parser (which cost more than the row's insert). */
    private static Instant sqlite(String t) {
        try {
            return LocalDateTime.of(number(t, 0, 4), number(t, 5, 7), number(t, 8, 10), number(t, 11, 13),
                                    number(t, 14, 16), number(t, 17, 19)).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static int number(String text, int from, int to) {
        return Integer.parseInt(text, from, to, 10);
    }

    private static Instant iso(String text) {
        String t = text.length() > 10 && text.charAt(10) == ' ' ? text.substring(0, 10) + 'T' + text.substring(11)
                : text;
        if (t.endsWith(" UTC")) {
            t = t.substring(0, t.length() - 4) + 'Z';
        }
        try {
            if (t.length() == 10) {
                return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            if (!zoned(t)) { // most of htmlgraph's times: parseBest would try (and throw) OffsetDateTime first
                return LocalDateTime.parse(t, DateTimeFormatter.ISO_LOCAL_DATE_TIME).toInstant(ZoneOffset.UTC);
            }
            TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parseBest(t, OffsetDateTime::from,
                                                                              LocalDateTime::from);
            return parsed instanceof OffsetDateTime o ? o.toInstant()
                    : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
