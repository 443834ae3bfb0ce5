package io.htmlgraph.sidecar.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

import io.helidon.common.buffers.DataReader.InsufficientDataAvailableException;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.htmlgraph.sidecar.domain.ErrorCode;
import io.htmlgraph.sidecar.domain.BadInputException;

/**
 * The one reader of request bodies, shared by every service that takes one (ingest, OTLP, features, a session's
 * feature, the login form): bounded before and while reading — 413 past the limit, compressed or not, so a zip bomb or
 * an endless chunked body stops there —, its connection closed when the client stops sending part way (see
 * {@link ConnectionGuard#watchBody}), and, for JSON routes, refused with 415 unless the Content-Type is JSON.
 */
final class RequestBodies {
    /**
     * Bodies read whole into one tree: a 3.9 MB feature description, read, parsed and masked at once, ran the 32 MB
     * heap out of memory. Hooks and batches are read as they arrive ({@link #jsonStream}) and keep the body limit.
     */
    static final long MAX_SMALL_BYTES = 256 * 1024;
    private static final Set<String> JSON_TYPES = Set.of("application/json", "application/x-ndjson",
            "application/ndjson", "application/jsonl", "application/x-jsonlines", "text/json");

    private final long maxBodyBytes;
    /** With a write token every write carries a header no cross-site page can set; without, the Content-Type must. */
    private final boolean tokenGuarded;
    /** Wraps each body so that a client silent part way loses its connection. */
    private final UnaryOperator<InputStream> watch;

    RequestBodies(long maxBodyBytes, boolean tokenGuarded, UnaryOperator<InputStream> watch) {
        this.maxBodyBytes = maxBodyBytes;
        this.tokenGuarded = tokenGuarded;
        this.watch = watch;
    }

    /**
     * A small JSON body read whole (a feature, a session's feature): 415 for a non-JSON type, 413 past
     * {@link #MAX_SMALL_BYTES} (or {@code HTMLGRAPH_MAX_BODY_BYTES} if lower), 400 if it cannot be read.
     */
    byte[] json(ServerRequest req) {
        checkJsonType(req);
        long limit = Math.min(maxBodyBytes, MAX_SMALL_BYTES);
        return read(req, limit, "the body is larger than " + limit + " bytes (a feature or a session's feature)",
                    ErrorCode.BAD_REQUEST);
    }

    /**
     * A JSON body to read as it arrives (a batch is then never held whole): checked as {@link #json}, the 413 and the
     * 400 coming from the stream while it is read, before anything of the body is stored.
     */
    InputStream jsonStream(ServerRequest req) {
        checkJsonType(req);
        long declared = req.headers().contentLength().orElse(-1);
        if (declared > maxBodyBytes) {
            throw tooLarge(tooLargeDetail());
        }
        return new BoundedBody(req, watch.apply(req.content().inputStream()), maxBodyBytes, tooLargeDetail());
    }

    private void checkJsonType(ServerRequest req) {
        Optional<HttpMediaType> type = contentType(req);
        if (type.isEmpty() && !tokenGuarded) {
            throw new ApiException(Status.UNSUPPORTED_MEDIA_TYPE_415, ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "send 'Content-Type: application/json' (or application/x-ndjson): a write without it could come"
                    + " from any web page");
        }
        if (type.isPresent() && !isJson(type.get())) {
            throw new ApiException(Status.UNSUPPORTED_MEDIA_TYPE_415, ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "send 'Content-Type: application/json' (or application/x-ndjson), not '" + type.get().text() + "'");
        }
    }

    /** The request's Content-Type; 415 when it cannot be parsed (Helidon's parser throws on a broken parameter). */
    static Optional<HttpMediaType> contentType(ServerRequest req) {
        try {
            return req.headers().contentType();
        } catch (RuntimeException e) {
            throw new ApiException(Status.UNSUPPORTED_MEDIA_TYPE_415, ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "the Content-Type header cannot be parsed");
        }
    }

    private String tooLargeDetail() {
        return "the body is larger than " + maxBodyBytes + " bytes (HTMLGRAPH_MAX_BODY_BYTES)";
    }

    /**
     * At most {@code limit} bytes of the body (gzip is decoded as it is read, see {@link GzipDecoding}).
     *
     * @param tooLarge   the 413's detail
     * @param unreadable the 400's code for a body that ends early or is not valid gzip
     */
    byte[] read(ServerRequest req, long limit, String tooLarge, ErrorCode unreadable) {
        long declared = req.headers().contentLength().orElse(-1);
        if (declared > limit) {
            throw tooLarge(tooLarge);
        }
        try (InputStream in = watch.apply(req.content().inputStream())) {
            byte[] body = declared >= 0 && !encoded(req) ? exactly(in, (int) declared)
                    : in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (body.length > limit) {
                throw tooLarge(tooLarge);
            }
            return body;
        } catch (IOException | UncheckedIOException | InsufficientDataAvailableException
                 | IllegalArgumentException e) { // a chunk size Helidon cannot parse (chunk extensions among them)
            throw unreadable(req, unreadable, e);
        }
    }

    /**
     * A body of the declared length read into one array of that size ({@code readNBytes(limit)} would fill 16 KB
     * chunks and copy them: most of a small hook's allocation). Helidon ends the stream at the declared length.
     */
    private static byte[] exactly(InputStream in, int length) throws IOException {
        byte[] body = new byte[length];
        int read = in.readNBytes(body, 0, length);
        if (read < length) {
            throw new IOException("the body ended after " + read + " of " + length + " bytes");
        }
        return body;
    }

    /** Whether the body is compressed (then its decoded length is not the declared one). */
    private static boolean encoded(ServerRequest req) {
        return req.headers().contains(HeaderNames.CONTENT_ENCODING);
    }

    private static BadInputException unreadable(ServerRequest req, ErrorCode code, Exception e) {
        boolean gzip = req.headers().first(HeaderNames.CONTENT_ENCODING).map(c -> c.contains("gzip")).orElse(false);
        return new BadInputException(code, "the body cannot be read" + (gzip ? " (not valid gzip?)" : "") + ": "
                                           + e.getMessage());
    }

    private static ApiException tooLarge(String detail) {
        return new ApiException(Status.REQUEST_ENTITY_TOO_LARGE_413, ErrorCode.PAYLOAD_TOO_LARGE, detail);
    }

    private static boolean isJson(HttpMediaType type) {
        String name = type.mediaType().text().toLowerCase();
        return JSON_TYPES.contains(name) || name.endsWith("+json");
    }

    /**
     * The body as it is read: 413 once past the limit, 400 when the connection fails, Helidon's
     * {@code InsufficientDataAvailableException} among them: the client closed it before the declared length (so a
     * batch cut short at a line boundary is never stored as if whole).
     */
    private static final class BoundedBody extends InputStream {
        private final ServerRequest req;
        private final InputStream in;
        private final long limit;
        private final String tooLarge;
        private long count;

        BoundedBody(ServerRequest req, InputStream in, long limit, String tooLarge) {
            this.req = req;
            this.in = in;
            this.limit = limit;
            this.tooLarge = tooLarge;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            int read;
            try {
                read = in.read(buffer, offset, length);
            } catch (IOException | UncheckedIOException | InsufficientDataAvailableException
                 | IllegalArgumentException e) { // a chunk size Helidon cannot parse (chunk extensions among them)
                throw unreadable(req, ErrorCode.BAD_REQUEST, e);
            }
            count += Math.max(read, 0);
            if (count > limit) {
                throw tooLarge(tooLarge);
            }
            return read;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
