package io.htmlgraph.sidecar.store;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ReadPoolTest {
    @Test
    void readsWaitingBeyondTheQueueLimit_areRefusedAtOnce_asStoreBusy() throws Exception {
        try (ReadPool pool = new ReadPool(1, 1);
             ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Future<String> first = callers.submit(() -> pool.run(() -> {
                running.countDown();
                await(release);
                return "first";
            }));
            assertThat(running.await(5, TimeUnit.SECONDS), is(true));
            Future<String> queued = callers.submit(() -> pool.run(() -> "queued"));
            waitUntil(() -> pool.waiting() == 1);

            StoreBusyException busy = assertThrows(StoreBusyException.class, () -> pool.run(() -> "third"));
            assertThat(busy.getMessage(), containsString("more than 1 reads are waiting"));

            release.countDown();
            assertThat(first.get(5, TimeUnit.SECONDS), is("first"));
            assertThat(queued.get(5, TimeUnit.SECONDS), is("queued"));
        }
    }

    @Test
    void waitingReads_runInArrivalOrder() throws Exception {
        try (ReadPool pool = new ReadPool(1, 100);
             ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            List<Integer> order = new CopyOnWriteArrayList<>();
            callers.submit(() -> pool.run(() -> {
                running.countDown();
                return await(release);
            }));
            assertThat(running.await(5, TimeUnit.SECONDS), is(true));
            for (int i = 0; i < 20; i++) {
                int n = i;
                callers.submit(() -> pool.run(() -> order.add(n)));
                waitUntil(() -> pool.waiting() == n + 1);
            }
            release.countDown();
            callers.shutdown();
            assertThat(callers.awaitTermination(5, TimeUnit.SECONDS), is(true));
            assertThat(order, is(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19)));
        }
    }

    @Test
    void aReadsOwnException_reachesTheCallerUnchanged() {
        try (ReadPool pool = new ReadPool(0, 4)) {
            IllegalStateException thrown = new IllegalStateException("no such session");
            assertThat(assertThrows(IllegalStateException.class, () -> pool.run(() -> {
                throw thrown;
            })), is(sameInstance(thrown)));
            assertThat(pool.threads(), is(Math.min(ReadPool.MAX_THREADS, Runtime.getRuntime().availableProcessors())));
        }
    }

    @Test
    void aClosedPool_refusesReads_asStoreBusy() {
        ReadPool pool = new ReadPool(1, 4);
        pool.close();
        assertThat(assertThrows(StoreBusyException.class, () -> pool.run(() -> "late")).getMessage(),
                   containsString("stopping"));
    }

    private static boolean await(CountDownLatch latch) {
        try {
            return latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.sleep(1);
        }
    }
}
