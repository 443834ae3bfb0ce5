package io.htmlgraph.sidecar.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The one timestamp format of the store and the API: ISO-8601 UTC with milliseconds, sortable as text. Formatting
 * and parsing that exact form are done by hand (java.time's formatter costs more than a row's insert when an import
 * writes 20,000 rows a second); anything else goes through java.time and gets its answer and its exceptions.
 */
public final class Timestamps {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    /** {@code 2026-11-27T02:15:04.120Z}. */
    private static final int LENGTH = 24;
    private static final int MAX_YEAR = 9999;
    private static final int NANOS_PER_MILLI = 1_000_000;

    private Timestamps() {
    }

    /** Formats an instant, e.g. {@code 2026-11-27T02:15:04.120Z}. */
    public static String format(Instant instant) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
        if (t.getYear() < 1 || t.getYear() > MAX_YEAR) {
            return FORMAT.format(instant);
        }
        char[] c = new char[LENGTH];
        digits(c, 0, t.getYear(), 4);
        c[4] = '-';
        digits(c, 5, t.getMonthValue(), 2);
        c[7] = '-';
        digits(c, 8, t.getDayOfMonth(), 2);
        c[10] = 'T';
        digits(c, 11, t.getHour(), 2);
        c[13] = ':';
        digits(c, 14, t.getMinute(), 2);
        c[16] = ':';
        digits(c, 17, t.getSecond(), 2);
        c[19] = '.';
        digits(c, 20, t.getNano() / NANOS_PER_MILLI, 3);
        c[23] = 'Z';
        return new String(c);
    }

    private static void digits(char[] into, int at, int value, int width) {
        int v = value;
        for (int i = at + width - 1; i >= at; i--) {
            into[i] = (char) ('0' + v % 10);
            v /= 10;
        }
    }

    /** Parses a stored timestamp (any ISO-8601 instant; ours the fast way). */
    public static Instant parse(String text) {
        Instant ours = ours(text);
        return ours != null ? ours : Instant.parse(text);
    }

    /** The instant of a timestamp in exactly our form with fields in range, else null. */
    private static Instant ours(String t) {
        if (t == null || t.length() != LENGTH || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T'
                || t.charAt(13) != ':' || t.charAt(16) != ':' || t.charAt(19) != '.' || t.charAt(23) != 'Z') {
            return null;
        }
        int year = number(t, 0, 4);
        int month = number(t, 5, 2);
        int day = number(t, 8, 2);
        int hour = number(t, 11, 2);
        int minute = number(t, 14, 2);
        int second = number(t, 17, 2);
        int millis = number(t, 20, 3);
        if (year < 1 || month < 1 || month > 12 || day < 1 || day > 28 && day > LocalDate.of(year, month, 1)
                .lengthOfMonth() || hour > 23 || minute > 59 || second > 59 || (hour | minute | second | millis) < 0) {
            return null; // java.time says what is wrong with it
        }
        long days = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(days * 86_400 + hour * 3600L + minute * 60L + second,
                                     (long) millis * NANOS_PER_MILLI);
    }

    /** The decimal number in {@code t[at, at + width)}, or -1 when a character is not a digit. */
    private static int number(String t, int at, int width) {
        int n = 0;
        for (int i = at; i < at + width; i++) {
            char ch = t.charAt(i);
            if (ch < '0' || ch > '9') {
                return -1;
            }
            n = n * 10 + (ch - '0');
        }
        return n;
    }

    /** Seconds between two stored timestamps, to the millisecond. */
    public static double secondsBetween(String start, String end) {
        return (parse(end).toEpochMilli() - parse(start).toEpochMilli()) / 1000.0;
    }
}
