package io.htmlgraph.sidecar.web;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

import io.helidon.webserver.http.ServerResponse;
import io.htmlgraph.sidecar.query.QueryCache;
import io.htmlgraph.sidecar.store.ReadPool;
import io.htmlgraph.sidecar.query.ReportQueries;

/**
 * Sends read answers as JSON through the {@link QueryCache}: computed once per route and parameters, and again after
 * a commit the answer may depend on.
 */
final class Answers {
    private static final byte[] PAYLOAD_FIELD = ",\"payload\":".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NULL = "null".getBytes(StandardCharsets.UTF_8);

    private final QueryCache cache;
    private final ReadPool pool;
    private final Json json;

    Answers(QueryCache cache, ReadPool pool, Json json) {
        this.cache = cache;
        this.pool = pool;
        this.json = json;
    }

    /** Sends an answer that must not be cached (with the status already set, 200 by default). */
    void sendUncached(ServerResponse res, Object answer) {
        json.sendBytes(res, json.bytes(answer));
    }

    /** Writes one exported event: its API fields and, as {@code payload}, the stored raw payload (already JSON). */
    void writeExportLine(ReportQueries.ExportRow row, ExportBytes out) {
        json.write(row.event(), out);
        out.dropLast(); // the event's closing brace: the payload goes before it
        out.writeBytes(PAYLOAD_FIELD);
        out.writeBytes(row.payload() == null ? NULL : row.payload().getBytes(StandardCharsets.UTF_8));
        out.write('}');
    }

    /** An export page's bytes, of which the last one written can be taken back. */
    static final class ExportBytes extends ByteArrayOutputStream {
        ExportBytes(int size) {
            super(size);
        }

        void dropLast() {
            count--;
        }
    }

    /** Runs a read on the read pool, in arrival order with the cache misses. */
    <T> T read(Supplier<T> read) {
        return pool.run(read);
    }

    /** The cache's own figures. */
    QueryCache.Metrics cacheMetrics() {
        return cache.metrics();
    }

    /**
     * A cache miss runs its queries and JSON on the {@link ReadPool}, in arrival order; a hit is served at once.
     *
     * @param key the validated parameters, canonical (see {@link QueryParams#key})
     */
    void send(ServerResponse res, String route, String key, Supplier<Object> answer) {
        send(res, route, key, null, answer);
    }

    /**
     * As {@link #send(ServerResponse, String, String, Supplier)}, for an answer that reads only the rows of
     * {@code session} (null: it may read any), which commits to other sessions then leave cached.
     */
    void send(ServerResponse res, String route, String key, String session, Supplier<Object> answer) {
        json.sendBytes(res, cache.scoped(route, key, () -> new QueryCache.Answer(
                pool.run(() -> json.bytesOnReader(answer.get())), session)));
    }
}
