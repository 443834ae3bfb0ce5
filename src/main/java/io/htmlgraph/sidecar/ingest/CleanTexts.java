package io.htmlgraph.sidecar.ingest;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hook path's masking ({@link Masker}'s rules) with a memory of the short texts that no rule changes. A session's
 * hooks repeat the same ids, paths, modes and tool names in every payload: looking one up costs a hash of it, finding
 * the rules' keywords a few table lookups per character. The memory is bounded and emptied when full, so texts that
 * never come again (tool use ids) do not keep out those that do.
 */
final class CleanTexts {
    private static final CleanTexts STANDARD = new CleanTexts(Masker.standard());
    private static final int CAPACITY = 2048;
    /** Longer texts are neither remembered nor looked up (hashing them would cost for a lookup that must fail). */
    private static final int MAX_LENGTH = 256;

    private final Masker masker;
    private final Map<String, Boolean> clean = new ConcurrentHashMap<>();

    CleanTexts(Masker masker) {
        this.masker = masker;
    }

    /** With the rules shipped in the jar, shared by the hook path. */
    static CleanTexts standard() {
        return STANDARD;
    }

    /** As {@link Masker#mask}. */
    String mask(String text) {
        boolean fits = text.length() <= MAX_LENGTH;
        if (fits && clean.containsKey(text)) {
            return text;
        }
        String masked = masker.mask(text);
        if (fits && masked.equals(text)) {
            if (clean.size() >= CAPACITY) {
                clean.clear();
            }
            clean.put(text, Boolean.TRUE);
        }
        return masked;
    }

    /** As {@link Masker#maskTokens}: a text that no rule changes holds no token either. */
    String maskTokens(String text) {
        return text.length() <= MAX_LENGTH && clean.containsKey(text) ? text : masker.maskTokens(text);
    }
}
