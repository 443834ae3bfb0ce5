package io.htmlgraph.sidecar.ingest;

/**
 * The ingest path's masking and truncation for text that arrives already extracted (an imported htmlgraph row's
 * summaries and context), so that imported text is kept exactly as safe as text from hooks.
 */
public final class TextCleaner {

    private final int payloadMaxBytes;
    private final boolean metadataOnly;

    public TextCleaner(int payloadMaxBytes, boolean metadataOnly) {
        this.payloadMaxBytes = payloadMaxBytes;
        this.metadataOnly = metadataOnly;
    }

    /** A summary: secrets masked, then cut to the length hooks' summaries get; sizes and hashes in metadata-only. */
    public String text(String text) {
        if (text == null) {
            return null;
        }
        return metadataOnly ? Sanitizer.describe(text)
                : Sanitizer.truncate(Sanitizer.mask(text), Summaries.MAX);
    }

    /** A stored payload: secrets masked, at most the configured payload size. */
    public String payload(String text) {
        if (text == null) {
            return null;
        }
        return metadataOnly ? Sanitizer.describe(text) : Sanitizer.truncate(Sanitizer.mask(text), payloadMaxBytes);
    }

    /** A short stable hash of the text (a call's fingerprint). */
    public static String hash(String text) {
        return Sanitizer.hash(text);
    }
}
