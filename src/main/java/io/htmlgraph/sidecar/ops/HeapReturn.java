package io.htmlgraph.sidecar.ops;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Gives the heap a burst grew back to the system once the sidecar is quiet. The launcher's serial collector shrinks
 * the heap ({@code -XX:MaxHeapFreeRatio}) only in a full collection, which a quiet process never reaches, so what a
 * burst of reads or batches moved into the old generation stayed there, resident, up to {@code -Xmx}. Once no
 * collection has run for {@code HTMLGRAPH_HEAP_RETURN_AFTER} and the old generation holds {@value #GROWTH_MB} MB or
 * more than the last full collection left in it, this asks for one, as G1's periodic collections do (JEP 346); the
 * collector then shrinks the heap to its live data and {@code -XX:MaxHeapFreeRatio}. A steady trickle of hooks moves
 * little into the old generation, so it seldom triggers one. Each shows in
 * {@code jvm_gc_pause_seconds{cause="System.gc()"}}.
 */
public final class HeapReturn implements AutoCloseable {
    static final int GROWTH_MB = 1;
    private static final Logger LOG = Logger.getLogger(HeapReturn.class.getName());

    private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
    private final List<MemoryPoolMXBean> oldGeneration = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getName().endsWith("Old Gen") || pool.getName().equals("Tenured Gen")).toList();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("heap-return").daemon(true).factory());
    private final long quietNanos;
    private long collectionsSeen;
    private long lastCollection = System.nanoTime();

    public HeapReturn(Duration quiet) {
        this.quietNanos = quiet.toNanos();
        this.collectionsSeen = collections();
    }

    /** Looks once a second (or at each quiet period, if shorter). */
    public void start() {
        long every = Math.min(1000, TimeUnit.NANOSECONDS.toMillis(quietNanos));
        thread.scheduleWithFixedDelay(this::look, every, every, TimeUnit.MILLISECONDS);
    }

    private void look() {
        long collections = collections();
        if (collections != collectionsSeen) {
            collectionsSeen = collections;
            lastCollection = System.nanoTime();
            return;
        }
        long grown = oldGeneration.stream()
                .mapToLong(pool -> pool.getUsage().getUsed() - pool.getCollectionUsage().getUsed()).sum();
        if (System.nanoTime() - lastCollection >= quietNanos && grown >= (long) GROWTH_MB << 20) {
            long before = committed();
            System.gc();
            collectionsSeen = collections();
            lastCollection = System.nanoTime();
            LOG.fine(() -> "gave heap back: " + (before >> 20) + " MB committed before, " + (committed() >> 20)
                           + " after");
        }
    }

    private long collections() {
        return collectors.stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }

    private static long committed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
