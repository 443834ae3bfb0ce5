package io.htmlgraph.sidecar.store;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Runs the read routes' work (SQL, row mapping, JSON) on a few platform threads fed by one bounded FIFO queue,
 * while the calling virtual thread parks. Why: virtual threads are not time-sliced, and sqlite-jdbc's native
 * calls plus the mapping are pure CPU, so on 2 cores a few cold reads held both carrier threads and the
 * requests behind them waited in the scheduler's work-stealing queues, in no particular order, for hundreds of
 * milliseconds (docs/performance.md). Platform threads are time-sliced by the OS, the queue serves requests in
 * arrival order, and the carriers stay free for HTTP. Beyond {@code queueLimit} waiting reads, a read is refused
 * at once with {@link StoreBusyException} (503 with {@code Retry-After}) rather than left to wait. Each of its
 * threads reads through a connection of its own with its statements prepared once ({@link Reads}).
 */
public final class ReadPool implements MeterBinder, AutoCloseable {
    /** More would only take turns on the cores and hold more connections. */
    public static final int MAX_THREADS = 4;
    /** How long closing waits for the reads under way, so that none outlives the store. */
    private static final long CLOSE_WAIT_SECONDS = 10;

    private final ThreadPoolExecutor executor;
    private final int queueLimit;
    private final AtomicLong refused = new AtomicLong();

    /**
     * @param threads    platform threads that run reads, 1..{@link #MAX_THREADS}; 0 means one per available
     *                   processor, at most {@link #MAX_THREADS}
     * @param queueLimit reads that may wait for a thread before more are refused
     */
    public ReadPool(int threads, int queueLimit) {
        int size = threads > 0 ? threads : Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors());
        AtomicInteger count = new AtomicInteger();
        this.queueLimit = queueLimit;
        this.executor = new ThreadPoolExecutor(size, size, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queueLimit), task -> new Reader(task, count.incrementAndGet()),
                new ThreadPoolExecutor.AbortPolicy());
        executor.prestartAllCoreThreads();
    }

    /** Runs {@code read} on a reader thread and returns its result; its exceptions reach the caller unchanged. */
    public <T> T run(Supplier<T> read) {
        Future<T> result;
        try {
            result = executor.submit(read::get);
        } catch (RejectedExecutionException e) {
            refused.incrementAndGet();
            throw new StoreBusyException(executor.isShutdown() ? "the store is stopping"
                    : "more than " + queueLimit + " reads are waiting; retry shortly");
        }
        try {
            return result.get();
        } catch (InterruptedException e) {
            result.cancel(true);
            Thread.currentThread().interrupt();
            throw new StoreBusyException("interrupted while waiting for a read");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new StoreException("read failed: " + e.getCause(), e.getCause());
        }
    }

    /** Whether the calling thread is one of a read pool's threads. */
    static boolean onReaderThread() {
        return Thread.currentThread() instanceof Reader;
    }

    /** Platform threads that run reads. */
    public int threads() {
        return executor.getCorePoolSize();
    }

    /** Reads waiting for a thread now. */
    public int waiting() {
        return executor.getQueue().size();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("htmlgraph.reads.waiting", this, ReadPool::waiting)
                .description("Uncached reads waiting for a reader thread").register(registry);
        FunctionCounter.builder("htmlgraph.reads.refused", refused, AtomicLong::get)
                .description("Reads refused with 503 store_busy: HTMLGRAPH_READ_QUEUE reads were already waiting")
                .register(registry);
    }

    /** Refuses new reads and waits (a while) for those under way, which the store's close must not cut short. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A read pool's thread, which {@link Reads} recognizes to read through the thread's own connection. */
    private static final class Reader extends Thread {
        Reader(Runnable task, int number) {
            super(task, "sqlite-reader-" + number);
            setDaemon(true);
        }
    }
}
