package io.htmlgraph.sidecar.ingest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds where the keywords of many rules occur in one pass over the text: a lookup by the next two characters at
 * each position, then a compare for the few keywords that start with them. Searching each of some 250 keywords with
 * its own scan cost more than the rules themselves on long text.
 */
final class Keywords {
    /** Characters below this index the tables directly (no boxing per position); others go through the maps. */
    private static final int DIRECT = 128;
    private static final int[] NONE = new int[0];

    private final Map<Integer, int[][]> byPair = new HashMap<>();
    private final Map<Character, int[]> bySingle = new HashMap<>();
    private final int[][][] byDirectPair = new int[DIRECT * DIRECT][][];
    private final int[][] byDirectSingle = new int[DIRECT][];
    private final List<String> keywords = new ArrayList<>();
    private final int rules;

    /** @param keywordsByRule for rule {@code i}, its lowercase keywords */
    Keywords(List<List<String>> keywordsByRule) {
        this.rules = keywordsByRule.size();
        Map<Integer, List<int[]>> pairs = new HashMap<>();
        Map<Character, List<Integer>> singles = new HashMap<>();
        for (int rule = 0; rule < keywordsByRule.size(); rule++) {
            for (String keyword : keywordsByRule.get(rule)) {
                if (keyword.length() == 1) {
                    singles.computeIfAbsent(keyword.charAt(0), c -> new ArrayList<>()).add(rule);
                } else {
                    keywords.add(keyword);
                    pairs.computeIfAbsent(pair(keyword.charAt(0), keyword.charAt(1)), p -> new ArrayList<>())
                            .add(new int[] {keywords.size() - 1, rule});
                }
            }
        }
        pairs.forEach((pair, refs) -> byPair.put(pair, refs.toArray(int[][]::new)));
        singles.forEach((c, refs) -> bySingle.put(c, refs.stream().mapToInt(Integer::intValue).toArray()));
        byPair.forEach((pair, refs) -> {
            int a = pair >>> 16;
            int b = pair & 0xFFFF;
            if (a < DIRECT && b < DIRECT) {
                byDirectPair[a * DIRECT + b] = refs;
            }
        });
        bySingle.forEach((c, refs) -> {
            if (c < DIRECT) {
                byDirectSingle[c] = refs;
            }
        });
    }

    /** The keywords starting with {@code a, b}; the array lookup spares the text's common characters a boxed key. */
    private int[][] startingWith(char a, char b) {
        return a < DIRECT && b < DIRECT ? byDirectPair[a * DIRECT + b] : byPair.get(pair(a, b));
    }

    private int[] single(char c) {
        return c < DIRECT ? byDirectSingle[c] : bySingle.get(c);
    }

    /** For each rule, the positions (ascending) where one of its keywords starts in {@code lower}. */
    int[][] occurrences(String lower) {
        int[][] found = new int[rules][];
        int[] counts = new int[rules];
        int length = lower.length();
        for (int i = 0; i < length; i++) {
            char c = lower.charAt(i);
            int[] single = single(c);
            if (single != null) {
                for (int rule : single) {
                    add(found, counts, rule, i);
                }
            }
            if (i + 1 < length) {
                int[][] refs = startingWith(c, lower.charAt(i + 1));
                if (refs != null) {
                    for (int[] ref : refs) {
                        if (lower.startsWith(keywords.get(ref[0]), i)) {
                            add(found, counts, ref[1], i);
                        }
                    }
                }
            }
        }
        for (int rule = 0; rule < rules; rule++) {
            found[rule] = found[rule] == null ? NONE : Arrays.copyOf(found[rule], counts[rule]);
        }
        return found;
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

    private static int pair(char a, char b) {
        return a << 16 | b;
    }
}
