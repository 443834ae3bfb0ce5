package io.htmlgraph.sidecar.web;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.htmlgraph.sidecar.domain.ErrorCode;

/**
 * Takes large request bodies in turn, at most two at once. An ingest batch is read line by line, but what its events
 * become stays in the heap until they are stored, about three times the body's size (an 8.3 MB NDJSON batch of 7,039
 * hooks: 23 MB), so several such batches at once would run a small heap out of memory and get 500s; and the one
 * writer stores one batch while the next is read, so a third batch read meanwhile only takes CPU from the writer and
 * heap from everything else (docs/performance.md: batches two at a time). A body over {@value #LARGE_BYTES} bytes
 * (by its {@code Content-Length}; a chunked or compressed body counts as the body limit) first takes its size, and
 * at least half, from a budget of an eighth of the heap, never less than one body at the limit; it waits for room in
 * arrival order, and after 10 s gets 503 {@code server_busy} with {@code Retry-After: 1}. Smaller bodies, hooks
 * among them, pass at once.
 */
final class LargeBodies implements Filter {
    static final long LARGE_BYTES = 64 * 1024;
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final long maxBodyBytes;
    private final Semaphore kibibytes;
    private final int budgetKib;
    private final Duration wait;
    private final Json json;
    private final Refusals refusals;

    /** Where a refusal is counted: {@link IngestRoutes#refused}. */
    interface Refusals {
        void refused(RoutingRequest req, ErrorCode reason, long started);
    }

    LargeBodies(long maxBodyBytes, Json json, Refusals refusals) {
        this(maxBodyBytes, Runtime.getRuntime().maxMemory() / 8, WAIT, json, refusals);
    }

    LargeBodies(long maxBodyBytes, long budgetBytes, Duration wait, Json json, Refusals refusals) {
        this.maxBodyBytes = maxBodyBytes;
        this.json = json;
        this.refusals = refusals;
        this.budgetKib = kib(Math.max(budgetBytes, maxBodyBytes));
        this.kibibytes = new Semaphore(budgetKib, true);
        this.wait = wait;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long size = size(req);
        if (size <= LARGE_BYTES || size > maxBodyBytes) { // small, or refused with 413 unread
            chain.proceed();
            return;
        }
        long started = System.nanoTime();
        int permits = Math.max(kib(size), (budgetKib + 1) / 2); // at most two at once
        if (!acquire(permits)) {
            refusals.refused(req, ErrorCode.SERVER_BUSY, started);
            res.header("Retry-After", "1");
            json.error(res, Status.SERVICE_UNAVAILABLE_503, ErrorCode.SERVER_BUSY,
                       "other large bodies are being stored; retry in a moment, or send smaller batches");
            return;
        }
        try {
            chain.proceed();
        } finally {
            kibibytes.release(permits);
        }
    }

    private long size(RoutingRequest req) {
        Method method = req.prologue().method();
        if (method == Method.GET || method == Method.HEAD || method == Method.OPTIONS) {
            return 0;
        }
        boolean compressed = req.headers().first(HeaderNames.CONTENT_ENCODING).isPresent();
        if (req.headers().contains(HeaderNames.CONTENT_LENGTH) && !compressed) {
            return req.headers().contentLength().orElse(0);
        }
        return compressed || req.headers().contains(HeaderNames.TRANSFER_ENCODING) ? maxBodyBytes : 0;
    }

    private boolean acquire(int permits) {
        try {
            return kibibytes.tryAcquire(permits, wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int kib(long bytes) {
        return (int) Math.min(Integer.MAX_VALUE, (bytes + 1023) / 1024);
    }
}
