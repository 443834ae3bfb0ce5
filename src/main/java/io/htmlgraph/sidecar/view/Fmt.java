package io.htmlgraph.sidecar.view;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * How the dashboard writes figures: thousands separated, durations in the largest sensible unit, dollars, times as
 * {@code <time>} elements (the page's script shows them in the browser's zone, with UTC in the tooltip), long text
 * cut with the whole on demand. Null in, null out, so a template's {@code {{#x}}} hides what is unknown.
 */
final class Fmt {
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final int SHORT = 160;

    private Fmt() {
    }

    /** A time: {@code iso} for the datetime attribute and the script, {@code utc} as the text before it runs. */
    record Time(String iso, String utc) {
    }

    /** Text cut to {@code head} when longer ({@code cut}), with {@code whole} on demand. */
    record Text(String head, String whole, boolean cut) {
    }

    /** {@code n} with a comma every three digits (by hand: String.format is a hot spot of the larger views). */
    static String count(long n) {
        if (n < 0) {
            return n == Long.MIN_VALUE ? String.format(Locale.ROOT, "%,d", n) : "-" + count(-n);
        }
        String digits = Long.toString(n);
        int head = digits.length() % 3 == 0 ? 3 : digits.length() % 3;
        StringBuilder out = new StringBuilder(digits.length() + digits.length() / 3).append(digits, 0, head);
        for (int i = head; i < digits.length(); i += 3) {
            out.append(',').append(digits, i, i + 3);
        }
        return out.toString();
    }

    static String count(Long n) {
        return n == null ? null : count(n.longValue());
    }

    /** A count with its noun, singular for one: "1 tool call", "1,024 tool calls". */
    static String count(long n, String noun) {
        return count(n) + " " + noun + (n == 1 ? "" : "s");
    }

    static String usd(Double usd) {
        if (usd == null) {
            return null;
        }
        return usd >= 1 || usd == 0 ? String.format(Locale.ROOT, "$%,.2f", usd)
                : String.format(Locale.ROOT, "$%.4f", usd);
    }

    static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.1f %%", ratio * 100);
    }

    static String duration(Double seconds) {
        if (seconds == null) {
            return null;
        }
        if (seconds < 1) {
            return Math.round(seconds * 1000) + " ms";
        }
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        long s = Math.round(seconds);
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", s / 3600, s % 3600 / 60);
    }

    static Time time(String iso) {
        if (iso == null) {
            return null;
        }
        if (stored(iso)) { // the store's own form: the text is a rearrangement, no parsing (a hot path of each view)
            return new Time(iso, iso.substring(0, 10) + " " + iso.substring(11, 19) + " UTC");
        }
        try {
            return new Time(iso, UTC.format(Instant.parse(iso)));
        } catch (java.time.format.DateTimeParseException e) {
            return new Time(iso, iso);
        }
    }

    /** Whether {@code iso} is {@code yyyy-MM-ddTHH:mm:ss}, optional fraction, {@code Z}: as the store writes times. */
    private static boolean stored(String iso) {
        int n = iso.length();
        if (n < 20 || iso.charAt(n - 1) != 'Z' || iso.charAt(4) != '-' || iso.charAt(7) != '-' || iso.charAt(10) != 'T'
            || iso.charAt(13) != ':' || iso.charAt(16) != ':' || n > 20 && iso.charAt(19) != '.') {
            return false;
        }
        for (int i = 0; i < n - 1; i++) {
            if (i != 4 && i != 7 && i != 10 && i != 13 && i != 16 && i != 19 && !Character.isDigit(iso.charAt(i))) {
                return false;
            }
        }
        return iso.charAt(5) <= '1' && iso.charAt(8) <= '3' && iso.charAt(11) <= '2' && iso.charAt(14) <= '5'
               && iso.charAt(17) <= '5';
    }

    static Text text(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        String oneLine = text.strip();
        if (oneLine.length() <= SHORT && oneLine.indexOf('\n') < 0) {
            return new Text(oneLine, oneLine, false);
        }
        int end = Math.min(SHORT, oneLine.indexOf('\n') < 0 ? oneLine.length() : oneLine.indexOf('\n'));
        return new Text(oneLine.substring(0, end) + "…", oneLine, true);
    }
}
