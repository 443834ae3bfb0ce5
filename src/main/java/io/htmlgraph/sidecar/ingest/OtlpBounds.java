package io.htmlgraph.sidecar.ingest;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import io.htmlgraph.sidecar.domain.BadInputException;
import io.htmlgraph.sidecar.domain.ErrorCode;

/**
 * Refuses an OTLP body that would decode into more objects than the heap holds, before it is decoded: a body at the
 * 2 MiB limit made of empty records (two bytes each in protobuf, three in JSON) decodes into a million objects, which
 * ran the launcher's 32 MB heap out of memory. Counted without decoding: JSON tokens, and protobuf fields, also
 * inside every field whose bytes read as a message (a string that happens to is counted too: never fewer).
 */
final class OtlpBounds {
    /**
     * Protobuf fields in one body: an exporter's default batch (512 records of 20 attributes) has about 46,000; two
     * bodies of 60,000 empty records (the most objects per field) decoded at once fit the heap, of 100,000 do not.
     */
    static final int MAX_FIELDS = 60_000;
    /** JSON tokens in one body: the same batch in JSON has about 97,000; two empty records are four. */
    static final int MAX_TOKENS = 120_000;
    private static final int MAX_DEPTH = 32;
    private static final JsonFactory JSON = new JsonFactory();

    private final byte[] body;
    private int fields;
    /** Where the last varint ended; -1 when it ran past its range or ten bytes. */
    private int next;

    private OtlpBounds(byte[] body) {
        this.body = body;
    }

    /** Throws {@link BadInputException} when the body holds more than the bounds allow. */
    static void check(byte[] body, boolean json) {
        if (json ? tokensOver(body) : new OtlpBounds(body).fieldsOver()) {
            throw new BadInputException(ErrorCode.INVALID_OTLP, "the body holds more than " + (json
                    ? MAX_TOKENS + " JSON tokens" : MAX_FIELDS + " protobuf fields") + "; send smaller batches");
        }
    }

    private static boolean tokensOver(byte[] body) {
        try (JsonParser parser = JSON.createParser(body)) {
            int tokens = 0;
            while (parser.nextToken() != null) {
                if (++tokens > MAX_TOKENS) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false; // malformed: the decoder says where
        }
    }

    private boolean fieldsOver() {
        walk(0, body.length, 0);
        return fields > MAX_FIELDS;
    }

    /**
     * Counts the fields in {@code [from, to)} into {@link #fields}, and within each length-delimited one that reads
     * as a message; false (the count restored) when the range is not a well-formed message.
     */
    private boolean walk(int from, int to, int depth) {
        int before = fields;
        int at = from;
        while (at < to && fields <= MAX_FIELDS) {
            long tag = varint(at, to);
            at = next;
            if (tag <= 0 || (tag >>> 3) == 0) {
                fields = before;
                return false;
            }
            fields++;
            switch ((int) (tag & 7)) {
                case 0 -> {
                    varint(at, to);
                    at = next;
                }
                case 1 -> at += 8;
                case 5 -> at += 4;
                case 2 -> {
                    long length = varint(at, to);
                    at = next;
                    if (length < 0 || length > to - at) {
                        fields = before;
                        return false;
                    }
                    if (depth < MAX_DEPTH && length > 0) {
                        walk(at, at + (int) length, depth + 1);
                    }
                    at += (int) length;
                }
                default -> {
                    fields = before;
                    return false;
                }
            }
            if (at > to || next < 0) {
                fields = before;
                return false;
            }
        }
        return true;
    }

    /** The varint at {@code at}, setting {@link #next}; -1 (and {@code next} -1) when malformed. */
    private long varint(int at, int to) {
        long value = 0;
        for (int shift = 0; shift < 64 && at < to; shift += 7) {
            byte b = body[at++];
            value |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                next = at;
                return value;
            }
        }
        next = -1;
        return -1;
    }
}
