package io.htmlgraph.sidecar.query;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Concurrent misses of one answer run its computation once; a commit in between starts a new one. A commit stales the
 * answers about the sessions it wrote to and the store-wide ones.
 */
class QueryCacheTest {
    @Test
    void concurrentMisses_shareOneComputation() throws Exception {
        QueryCache cache = new QueryCache(Clock.systemUTC(), 16);
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor();
        List<Future<byte[]>> answers = new ArrayList<>();
        answers.add(readers.submit(() -> cache.get("r", "k", () -> {
            runs.incrementAndGet();
            started.countDown();
            await(release);
            return new byte[] {42};
        })));
        assertThat(started.await(5, TimeUnit.SECONDS), is(true));
        for (int i = 0; i < 7; i++) {
            answers.add(readers.submit(() -> cache.get("r", "k", () -> {
                runs.incrementAndGet();
                return new byte[] {1};
            })));
        }
        Thread.sleep(100); // the seven wait on the first computation
        release.countDown();
        for (Future<byte[]> answer : answers) {
            assertThat(answer.get(5, TimeUnit.SECONDS)[0], is((byte) 42));
        }
        assertThat(runs.get(), is(1));
        cache.invalidateAll();
        assertThat(cache.get("r", "k", () -> new byte[] {7})[0], is((byte) 7));
        readers.shutdown();
    }

    /**
     * Answers are kept within a byte bound as well as a count, the least recently used dropped first, and one answer
     * over a quarter of the bound is sent but not kept: many distinct large pages must not fill the heap.
     */
    @Test
    void keptAnswers_stayWithinTheByteBound_leastRecentlyUsedOut_andAHugeOneIsNotKept() {
        QueryCache cache = new QueryCache(Clock.systemUTC(), 512, 1_000);
        AtomicInteger runs = new AtomicInteger();
        for (int i = 0; i < 10; i++) {
            cache.get("r", "k" + i, () -> {
                runs.incrementAndGet();
                return new byte[240];
            });
            cache.get("r", "k0", () -> new byte[240]); // k0 stays the most recently used
        }
        assertThat(cache.keptBytes(), is(960L));
        assertThat(cache.metrics().entries(), is(4));
        runs.set(0);
        cache.get("r", "k0", () -> {
            runs.incrementAndGet();
            return new byte[240];
        });
        cache.get("r", "k9", () -> {
            runs.incrementAndGet();
            return new byte[240];
        });
        assertThat("the two most recently used are still kept", runs.get(), is(0));
        cache.get("r", "k1", () -> {
            runs.incrementAndGet();
            return new byte[240];
        });
        assertThat("k1 was dropped, and is computed again", runs.get(), is(1));
        assertThat(cache.keptBytes(), is(960L));

        assertThat(cache.get("r", "huge", () -> new byte[251]).length, is(251));
        assertThat(cache.keptBytes(), is(960L));
        assertThat(cache.metrics().entries(), is(4));
    }

    @Test
    void aCommitToOneSession_stalesItsAnswersAndTheStoreWideOnes_only() {
        QueryCache cache = new QueryCache(Clock.systemUTC(), 16);
        cache.scoped("session", "a", () -> new QueryCache.Answer(new byte[] {1}, "a"));
        cache.scoped("session", "b", () -> new QueryCache.Answer(new byte[] {1}, "b"));
        cache.get("stats", "", () -> new byte[] {1});
        cache.invalidate(List.of("a"));
        assertThat(cache.scoped("session", "a", () -> new QueryCache.Answer(new byte[] {2}, "a"))[0], is((byte) 2));
        assertThat(cache.scoped("session", "b", () -> new QueryCache.Answer(new byte[] {2}, "b"))[0], is((byte) 1));
        assertThat(cache.get("stats", "", () -> new byte[] {2})[0], is((byte) 2));
        cache.invalidateAll();
        assertThat(cache.scoped("session", "b", () -> new QueryCache.Answer(new byte[] {3}, "b"))[0], is((byte) 3));
        // more sessions than it remembers: the cache forgets which, and takes every session as written to
        cache.invalidate(IntStream.range(0, 10_001).mapToObj(i -> "other-" + i).toList());
        assertThat(cache.scoped("session", "b", () -> new QueryCache.Answer(new byte[] {4}, "b"))[0], is((byte) 4));
    }

    @Test
    void aFailedComputation_failsItsWaiters_andIsNotKept() throws Exception {
        QueryCache cache = new QueryCache(Clock.systemUTC(), 16);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor();
        Future<byte[]> first = readers.submit(() -> cache.get("r", "k", () -> {
            started.countDown();
            await(release);
            throw new IllegalStateException("store gone");
        }));
        assertThat(started.await(5, TimeUnit.SECONDS), is(true));
        Future<byte[]> second = readers.submit(() -> cache.get("r", "k", () -> new byte[] {1}));
        Thread.sleep(100);
        release.countDown();
        ExecutionException e = assertThrows(ExecutionException.class, () -> first.get(5, TimeUnit.SECONDS));
        assertThat(e.getCause(), instanceOf(IllegalStateException.class));
        try {
            second.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException waiter) {
            assertThat(waiter.getCause(), instanceOf(IllegalStateException.class));
        }
        assertThat("nothing kept after a failure", cache.get("r", "k", () -> new byte[] {9})[0], is((byte) 9));
        readers.shutdown();
    }

    @Test
    void routeFigures_countEveryRunAndHit_whileRequestsReadThem() throws Exception {
        QueryCache cache = new QueryCache(Clock.systemUTC(), 16);
        try (ExecutorService requests = Executors.newFixedThreadPool(4)) {
            List<Future<?>> done = IntStream.range(0, 4).<Future<?>>mapToObj(t -> requests.submit(() -> {
                for (int i = 0; i < 500; i++) {
                    cache.get("cold", "k" + t + "-" + i, () -> new byte[1]); // a new key: runs
                    cache.get("warm", "k", () -> new byte[1]); // runs once, then hits
                    cache.metrics();
                }
            })).toList();
            for (Future<?> request : done) {
                request.get(30, TimeUnit.SECONDS);
            }
        }
        QueryCache.RouteMetrics cold = cache.metrics().routes().get("cold");
        QueryCache.RouteMetrics warm = cache.metrics().routes().get("warm");
        assertThat(cold.executions(), is(2000L));
        assertThat(cold.cacheHits(), is(0L));
        assertThat("each request ran or hit", warm.executions() + warm.cacheHits(), is(2000L));
        assertThat(warm.executions() >= 1 && warm.executions() <= 4, is(true));
        assertThat(cold.maxMs() >= cold.avgMs(), is(true));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
