package io.htmlgraph.sidecar.ingest;

import java.security.MessageDigest;

/**
 * The ingest path's masking and truncation for text that arrives already extracted (an imported htmlgraph row's
 * summaries and context), so that imported text is kept exactly as safe as text from hooks. For one thread at a time
 * (an importer's): it keeps its masking matchers and its digest from one row to the next, where making them anew
 * for every row was about a fifth of what an import allocated (docs/performance.md).
 */
public final class TextCleaner {

    private final int payloadMaxBytes;
    private final boolean metadataOnly;
    private final Masker.Reusing masker = Masker.standard().reusing();
    private final MessageDigest sha256 = Sanitizer.sha256();

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
                : Sanitizer.truncate(masker.mask(text), Summaries.MAX);
    }

    /** A stored payload: secrets masked, at most the configured payload size. */
    public String payload(String text) {
        if (text == null) {
            return null;
        }
        return metadataOnly ? Sanitizer.describe(text) : Sanitizer.truncate(masker.mask(text), payloadMaxBytes);
    }

    /** A short stable hash of the text (a call's fingerprint), as {@link Sanitizer#hash(String)} makes it. */
    public String hash(String text) {
        return Sanitizer.hash(text, sha256);
    }
}
