package io.htmlgraph.sidecar.query;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Answers of read routes, as JSON bytes, keyed by route and parameters. Bounded (least recently used out) and
 * invalidated by committed writes: an entry is never served once a commit it may depend on is made. An answer about
 * one session (its detail, its events, one of its turns) depends only on that session's rows, so it stays valid
 * across commits that wrote to other sessions only; every other answer (first pages, counters, stats) is stale after
 * any commit. Entries also expire after a short time, since some answers (idle sessions) change with the clock alone.
 * Concurrent misses of one answer share one computation (counted as hits), so a burst of readers after a commit
 * runs its queries once.
 */
public final class QueryCache {
    public static final Duration TTL = Duration.ofSeconds(5);
    /**
     * Bytes of answers kept at most, beside {@code maxEntries}: a sixteenth of the heap (2 MB in the launcher's 32 MB).
     * Bounded by count alone, distinct pages of 1,000 events (670 KB each at 1M events) ran it out from the 36th on
     * (500s); with 4 MB kept in a 32 MB heap, 64 connections reading distinct grouped-feed pages beside eight batches
     * at the body limit still did (docs/performance.md). An answer over a quarter of it is sent, not kept.
     */
    public static final long MAX_BYTES = Runtime.getRuntime().maxMemory() / 16;
    /** Sessions whose last commit is remembered; past that, the memory starts over as if all had changed. */
    private static final int MAX_SESSIONS_TRACKED = 10_000;

    private final Clock clock;
    private final int maxEntries;
    private final long maxBytes;
    /** Bytes of the kept answers (under the entries' lock). */
    private long bytes;
    /** Commits so far, the last that may have changed anything, and each session's last (under the entries' lock). */
    private long commits;
    private long lastWide;
    private final Map<String, Long> lastBySession = new HashMap<>();
    /** In order of use, the least recently used first: {@link #keep} drops from there. */
    private final Map<String, Cached> entries = new LinkedHashMap<>(64, 0.75f, true);
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final Map<String, RouteStats> routes = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<byte[]>> inFlight = new ConcurrentHashMap<>();

    /** @param maxEntries how many answers are kept; 0 turns caching off (every request runs its queries) */
    public QueryCache(Clock clock, int maxEntries) {
        this(clock, maxEntries, MAX_BYTES);
    }

    /** @param maxBytes how many bytes of answers are kept at most */
    QueryCache(Clock clock, int maxEntries, long maxBytes) {
        this.clock = clock;
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
    }

    /** How many answers are kept at most. */
    public int maxEntries() {
        return maxEntries;
    }

    /** Called after a commit that may have changed anything: all entries become stale. */
    public void invalidateAll() {
        synchronized (entries) {
            lastWide = ++commits;
        }
    }

    /** Called after a commit that wrote to these sessions only: answers about other sessions stay valid. */
    public void invalidate(Collection<String> sessions) {
        synchronized (entries) {
            long commit = ++commits;
            if (lastBySession.size() + sessions.size() > MAX_SESSIONS_TRACKED) {
                lastBySession.clear();
                lastWide = commit;
            }
            sessions.forEach(session -> lastBySession.put(session, commit));
        }
    }

    /** An answer that may depend on anything in the store. */
    public byte[] get(String route, String key, Supplier<byte[]> compute) {
        return scoped(route, key, () -> new Answer(compute.get(), null));
    }

    /**
     * The cached answer for {@code route} and {@code key}, or {@code compute}'s, which is then cached for as long as
     * no commit it may depend on is made (any commit, or only those writing to the answer's session).
     */
    public byte[] scoped(String route, String key, Supplier<Answer> compute) {
        long now = clock.millis();
        String cacheKey = route + '?' + key;
        Cached entry;
        long current;
        boolean fresh;
        synchronized (entries) {
            entry = entries.get(cacheKey);
            current = commits;
            fresh = entry != null && entry.commit >= changedSince(entry.session)
                    && now - entry.createdMillis < TTL.toMillis();
        }
        if (fresh) {
            hits.increment();
            routes.computeIfAbsent(route, r -> new RouteStats()).hits.increment();
            return entry.json;
        }
        if (maxEntries == 0) {
            return computeAndKeep(route, cacheKey, current, now, compute);
        }
        // One computation per answer and commit: concurrent misses (every commit makes the store-wide answers stale
        // while agents work) wait for the one running instead of each running the same queries.
        String flightKey = cacheKey + '#' + current;
        CompletableFuture<byte[]> mine = new CompletableFuture<>();
        CompletableFuture<byte[]> running = inFlight.putIfAbsent(flightKey, mine);
        if (running != null) {
            hits.increment();
            routes.computeIfAbsent(route, r -> new RouteStats()).hits.increment();
            return join(running);
        }
        try {
            byte[] json = computeAndKeep(route, cacheKey, current, now, compute);
            mine.complete(json);
            return json;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(flightKey, mine);
        }
    }

    /** The last commit that an answer about {@code session} (null: about anything) may depend on. */
    private long changedSince(String session) {
        return session == null ? commits : Math.max(lastWide, lastBySession.getOrDefault(session, 0L));
    }

    /** Runs {@code compute}; its answer is kept as of {@code current}, the last commit before its queries ran. */
    private byte[] computeAndKeep(String route, String cacheKey, long current, long now, Supplier<Answer> compute) {
        misses.increment();
        long started = System.nanoTime();
        Answer answer = compute.get();
        routes.computeIfAbsent(route, r -> new RouteStats()).record(System.nanoTime() - started);
        if (maxEntries > 0 && answer.body().length <= maxBytes / 4) {
            synchronized (entries) {
                keep(cacheKey, new Cached(answer.body(), answer.session(), current, now));
            }
        }
        return answer.body();
    }

    /** Keeps an answer, then drops the least recently used ones past either bound (under the entries' lock). */
    private void keep(String cacheKey, Cached entry) {
        Cached replaced = entries.put(cacheKey, entry);
        bytes += entry.json.length - (replaced == null ? 0 : replaced.json.length);
        Iterator<Cached> eldest = entries.values().iterator();
        while ((entries.size() > maxEntries || bytes > maxBytes) && eldest.hasNext()) {
            bytes -= eldest.next().json.length;
            eldest.remove();
        }
    }

    /** Bytes of the answers kept. */
    long keptBytes() {
        synchronized (entries) {
            return bytes;
        }
    }

    /** The answer of a computation that another request runs; its failure is this request's failure too. */
    private static byte[] join(CompletableFuture<byte[]> running) {
        try {
            return running.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** Figures for {@code /api/query-metrics}. */
    public Metrics metrics() {
        Map<String, RouteMetrics> perRoute = new TreeMap<>();
        routes.forEach((route, stats) -> perRoute.put(route, stats.snapshot()));
        long h = hits();
        long m = misses();
        return new Metrics(h, m, size(), maxEntries, h + m == 0 ? 0 : Math.round(1000.0 * h / (h + m)) / 10.0,
                           perRoute);
    }

    public long hits() {
        return hits.sum();
    }

    public long misses() {
        return misses.sum();
    }

    /** Answers held now. */
    public int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    /** Hits / all reads since start, 0..1 (0 before any read). */
    public double hitRatio() {
        long h = hits.sum();
        long all = h + misses.sum();
        return all == 0 ? 0 : (double) h / all;
    }

    /** Cache totals and, per route, how often it ran its queries and how long they took. */
    public record Metrics(long hits, long misses, int entries, int maxEntries, double hitRatePercent,
                          Map<String, RouteMetrics> routes) {
    }

    public record RouteMetrics(long executions, long cacheHits, double avgMs, double maxMs) {
    }

    /**
     * A computed answer and the one session it is about (its rows are all it reads), or null when it may depend on
     * anything.
     */
    public record Answer(byte[] body, String session) {
    }

    private record Cached(byte[] json, String session, long commit, long createdMillis) {
    }

    /** A route's counts, without a lock: {@code /api/query-metrics} reads them while requests add to them. */
    private static final class RouteStats {
        private final LongAdder hits = new LongAdder();
        private final LongAdder executions = new LongAdder();
        private final LongAdder totalNanos = new LongAdder();
        private final LongAccumulator maxNanos = new LongAccumulator(Math::max, 0);

        void record(long nanos) {
            executions.increment();
            totalNanos.add(nanos);
            maxNanos.accumulate(nanos);
        }

        RouteMetrics snapshot() {
            long runs = executions.sum();
            return new RouteMetrics(runs, hits.sum(), runs == 0 ? 0 : Math.round(totalNanos.sum() / 1e3 / runs) / 1e3,
                    Math.round(maxNanos.get() / 1e3) / 1e3);
        }
    }
}
