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
    private static final int[] NOWHERE = new int[0];
    /** For a pair of ASCII characters {@code a << 7 | b}: {keyword index, rule} of the keywords starting so. */
    private final int[][][] byPair = new int[ASCII * ASCII][][];
    /** For an ASCII character: the rules with that one-character keyword. */
    private final int[][] bySingle = new int[ASCII][];
    private final List<char[]> keywords = new ArrayList<>();
    private final int rules;
    /** Per rule: whether it has no keyword (so it runs on every text). */
    private final boolean[] keywordless;
    /** The answer for a text without any keyword (callers only read it). */
    private final int[][] none;

    /** @param keywordsByRule for rule {@code i}, its lowercase ASCII keywords */
    Keywords(List<List<String>> keywordsByRule) {
        this.rules = keywordsByRule.size();
        this.keywordless = new boolean[rules];
        this.none = new int[rules][];
        Arrays.fill(none, NOWHERE);
        Map<Integer, List<int[]>> pairs = new HashMap<>();
        Map<Integer, List<Integer>> singles = new HashMap<>();
        for (int rule = 0; rule < keywordsByRule.size(); rule++) {
            keywordless[rule] = keywordsByRule.get(rule).isEmpty();
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
    }

    /**
     * For each rule, the positions (ascending) where one of its keywords starts in {@code text}, ignoring case. Most
     * texts contain no keyword at all: they get one shared answer and allocate nothing.
     */
    int[][] occurrences(String text) {
        int[][] found = null;
        int[] counts = null;
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
            if (found == null) {
                found = new int[rules][];
                counts = new int[rules];
            }
            if (single != null) {
                for (int rule : single) {
                    add(found, counts, rule, i);
                }
            }
            if (refs != null) {
                for (int[] ref : refs) {
                    if (startsAt(text, i, keywords.get(ref[0]))) {
                        add(found, counts, ref[1], i);
                    }
                }
            }
        }
        if (found == null) {
            return none;
        }
        for (int rule = 0; rule < rules; rule++) {
            found[rule] = found[rule] == null ? NOWHERE : Arrays.copyOf(found[rule], counts[rule]);
        }
        return found;
    }

    /**
     * Whether rule {@code rule} must run on a text with these {@link #occurrences}: one of its keywords occurs, or it
     * has none. (An array lookup: asking each rule's keyword list, per rule and text, showed in ingest profiles.)
     */
    boolean mayMatch(int[][] occurrences, int rule) {
        return occurrences[rule].length > 0 || keywordless[rule];
    }

    private static int fold(char c) {
        return c < 'A' || c > 'Z' && c < ASCII ? c : Character.toLowerCase(c);
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

    private static void add(int[][] found, int[] counts, int rule, int at) {
        int n = counts[rule];
        if (n > 0 && found[rule][n - 1] == at) {
            return; // two keywords of one rule at one place
        }
        if (found[rule] == null) {
            found[rule] = new int[8];
        } else if (n == found[rule].length) {
            found[rule] = Arrays.copyOf(found[rule], n * 2);
        }
        found[rule][n] = at;
        counts[rule] = n + 1;
    }
}
