package io.htmlgraph.sidecar.ingest;

import java.util.HashMap;
import java.util.Map;

/**
 * One copy of each text that a request's events repeat (session id, hook and tool names, working directory,
 * transcript path, permission mode). A batch waits for the writer whole: at 8 batches of 1,000 in flight a copy of
 * these per event was a quarter of what the waiting events held, and they outlived young collections into full ones.
 * Bounded: past {@link #LIMIT} distinct texts a request's new ones are kept as they come.
 */
final class RequestTexts {
    private static final int LIMIT = 256;

    private final Map<String, String> texts = new HashMap<>();

    /** The copy kept of {@code text} (itself the first time); null stays null. */
    String of(String text) {
        if (text == null) {
            return null;
        }
        String kept = texts.size() < LIMIT ? texts.putIfAbsent(text, text) : texts.get(text);
        return kept == null ? text : kept;
    }
}
