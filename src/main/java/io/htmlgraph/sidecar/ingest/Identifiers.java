package io.htmlgraph.sidecar.ingest;

import io.htmlgraph.sidecar.domain.BadInputException;
import io.htmlgraph.sidecar.domain.ErrorCode;

/**
 * Ids and names an agent sends (session, tool use, prompt and agent ids; hook, spawner and app names; object keys).
 * They end up in URLs, SQL keys and metric labels, so they must be valid text, and one that is itself a credential is
 * replaced by a stable hash of it: {@code masked-<16 hex>}, distinct per value so that ids still tell events apart.
 */
final class Identifiers {
    private static final CleanTexts CLEAN_TEXTS = CleanTexts.standard();

    private Identifiers() {
    }

    /** The id as given, or its masked form when a token rule recognises a credential in it; null stays null. */
    static String clean(String field, String value) {
        if (value == null) {
            return null;
        }
        checkText(field, value);
        return CLEAN_TEXTS.maskTokens(value).equals(value) ? value : masked(value);
    }

    /** A stand-in for a secret id: the same secret always gives the same stand-in, and it reveals nothing. */
    static String masked(String value) {
        return "masked-" + Sanitizer.hash(value).substring(0, 16);
    }

    /** Refuses control characters and lone UTF-16 surrogates (SQLite would store them as '?', merging ids). */
    static void checkText(String field, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= ' ' && c < 0x7f) {
                continue; // printable ASCII, nearly every character of an id: none of the checks below applies
            }
            boolean pair = i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1));
            if (Character.isHighSurrogate(c) && pair) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new BadInputException(ErrorCode.INVALID_FIELD, "'" + field
                        + "' holds invalid UTF-16 (a lone surrogate)");
            } else if (Character.isISOControl(c)) {
                throw new BadInputException(ErrorCode.INVALID_FIELD, "'" + field + "' holds a control character");
            }
        }
    }
}
