package io.htmlgraph.sidecar.ingest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds where the keywords of many rules occur in one pass over the text: a table lookup by the next two characters
 * (case-folded as {@link Character#toLowerCase(char)} does) at each position, then a compare for the few keywords
 * that start with them. Searching each of some 250 keywords with its own scan cost more than the rules themselves on
 * long text; so did boxing a map key per character, and lowercasing a copy of the text first. Keywords are ASCII.
 */
final class Keywords {
    private static final int ASCII = 128;
    private static final Hits NONE = new Hits(new long[0], 0);
    /** For a pair of ASCII characters {@code a << 7 | b}: {keyword index, rule} of the keywords starting so. */
    private final int[][][] byPair = new int[ASCII * ASCII][][];
    /** For an ASCII character: the rules with that one-character keyword. */
    private final int[][] bySingle = new int[ASCII][];
    private final List<char[]> keywords = new ArrayList<>();
    /** The rules without a keyword (they run on every text). */
    private final int[] keywordless;

    /** @param keywordsByRule for rule {@code i}, its lowercase ASCII keywords */
    Keywords(List<List<String>> keywordsByRule) {
        List<Integer> keywordless = new ArrayList<>();
        Map<Integer, List<int[]>> pairs = new HashMap<>();
        Map<Integer, List<Integer>> singles = new HashMap<>();
        for (int rule = 0; rule < keywordsByRule.size(); rule++) {
            if (keywordsByRule.get(rule).isEmpty()) {
                keywordless.add(rule);
            }
            for (String keyword : keywordsByRule.get(rule)) {
                if (keyword.isEmpty() || !keyword.chars().allMatch(c -> c < ASCII && Character.toLowerCase(c) == c)) {
                    throw new IllegalArgumentException("keyword '" + keyword + "' is not lowercase ASCII");
                }
                if (keyword.length() == 1) {
                    singles.computeIfAbsent((int) keyword.charAt(0), c -> new ArrayList<>()).add(rule);
                } else {
                    keywords.add(keyword.toCharArray());
                    pairs.computeIfAbsent(keyword.charAt(0) << 7 | keyword.charAt(1), p -> new ArrayList<>())
                            .add(new int[] {keywords.size() - 1, rule});
                }
            }
        }
        pairs.forEach((pair, refs) -> byPair[pair] = refs.toArray(int[][]::new));
        singles.forEach((c, refs) -> bySingle[c] = refs.stream().mapToInt(Integer::intValue).toArray());
        this.keywordless = keywordless.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Where the rules' keywords start in {@code text}, ignoring case: by rule, then position. Most texts contain no
     * keyword, or the keywords of one or two rules: the answer is one array of its hits (a table of positions per
     * rule, made for every text with a '.', was about 30 % of the bytes that hook ingest allocated).
     */
    Hits occurrences(String text) {
        return occurrences(text, null);
    }

    /**
     * {@link #occurrences(String)}, written into {@code buffer} when it is given and they fit (else into a new
     * array): the answer is valid until the buffer is used again.
     */
    Hits occurrences(String text, long[] buffer) {
        long[] hits = buffer;
        int size = 0;
        int length = text.length();
        int next = length > 0 ? fold(text.charAt(0)) : 0;
        for (int i = 0; i < length; i++) {
            int c = next;
            next = i + 1 < length ? fold(text.charAt(i + 1)) : ASCII;
            if (c >= ASCII) {
                continue;
            }
            int[] single = bySingle[c];
            int[][] refs = next < ASCII ? byPair[c << 7 | next] : null;
            if (single == null && refs == null) {
                continue;
            }
            hits = hits == null ? new long[8] : hits;
            for (int r = 0; single != null && r < single.length; r++) {
                hits = add(hits, size++, single[r], i);
            }
            for (int r = 0; refs != null && r < refs.length; r++) {
                if (startsAt(text, i, keywords.get(refs[r][0]))) {
                    hits = add(hits, size++, refs[r][1], i);
                }
            }
        }
        return size == 0 ? NONE : new Hits(hits, size);
    }

    /** The rules without a keyword (they run on every text), in order; the array is shared: read it only. */
    int[] keywordless() {
        return keywordless;
    }

    private static int fold(char c) {
        if (c < 'A' || c > 'Z' && c < ASCII) {
            return c;
        }
        return c <= 'Z' ? c + ('a' - 'A') : Character.toLowerCase(c); // ASCII capitals without the call
    }

    private static boolean startsAt(String text, int at, char[] keyword) {
        if (at + keyword.length > text.length()) {
            return false;
        }
        for (int k = 2; k < keyword.length; k++) {
            if (fold(text.charAt(at + k)) != keyword[k]) {
                return false;
            }
        }
        return true;
    }

    private static long[] add(long[] hits, int at, int rule, int position) {
        long[] to = at < hits.length ? hits : Arrays.copyOf(hits, at * 2);
        to[at] = (long) rule << 32 | position;
        return to;
    }

    /**
     * Keyword hits, sorted by rule and then position, each (rule, position) once: {@link #rule} and {@link #to} give
     * a rule's range of indexes, {@link #position} the place of each.
     */
    static final class Hits {
        private final long[] sorted;
        private final int size;

        private Hits(long[] hits, int size) {
            Arrays.sort(hits, 0, size);
            int distinct = 0;
            for (int i = 0; i < size; i++) {
                if (distinct == 0 || hits[distinct - 1] != hits[i]) {
                    hits[distinct++] = hits[i];
                }
            }
            this.sorted = hits;
            this.size = distinct;
        }

        /** How many hits there are. */
        int size() {
            return size;
        }

        /** The rule of hit {@code i}. */
        int rule(int i) {
            return (int) (sorted[i] >>> 32);
        }

        /** The index after the rule's last hit, from its first at {@code from}. */
        int to(int from, int rule) {
            int at = from;
            while (at < size && (int) (sorted[at] >>> 32) == rule) {
                at++;
            }
            return at;
        }

        int position(int i) {
            return (int) sorted[i];
        }
    }
}
