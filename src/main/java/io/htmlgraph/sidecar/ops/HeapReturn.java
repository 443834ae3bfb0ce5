package io.htmlgraph.sidecar.ops;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import java.util.logging.Logger;

/**
 * Runs the full collections of the launcher's serial collector at quiet moments instead of under load. The collector
 * shrinks the heap ({@code -XX:MaxHeapFreeRatio}) only in a full collection, which a quiet process never reaches, so
 * what a burst of reads or batches moved into the old generation stayed there, resident, up to {@code -Xmx}; and under
 * load a full collection (30–50 ms on two cores) comes when the old generation is full, in the middle of requests.
 * Looking ten times a second, this asks for one in either case (as G1's periodic collections do, JEP 346):
 * <ul>
 * <li><b>quiet</b>: no collection has run for {@code HTMLGRAPH_HEAP_RETURN_AFTER} and the old generation holds
 * {@value #GROWTH_MB} MB or more than the last full collection left in it: the heap goes back to its live data;</li>
 * <li><b>idle</b>: less than {@value #IDLE_KB} KB was allocated since the last look and the old generation has used
 * half of the room the last full collection left: the collection that load would soon force runs now, while
 * hardly a request is in flight (between bursts of a dashboard, or under a trickle of hooks).</li>
 * </ul>
 * A steady trickle of hooks moves little into the old generation, so it seldom triggers either. Each shows in
 * {@code jvm_gc_pause_seconds{cause="System.gc()"}}.
 */
public final class HeapReturn implements AutoCloseable {
    static final int GROWTH_MB = 1;
    static final int IDLE_KB = 512;
    private static final long LOOK_MILLIS = 100;
    private static final Logger LOG = Logger.getLogger(HeapReturn.class.getName());

    private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
    private final List<MemoryPoolMXBean> oldGeneration = pools("Old Gen", "Tenured Gen");
    private final List<MemoryPoolMXBean> eden = pools("Eden Space");
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("heap-return").daemon(true).factory());
    /** Its periodic pass, once scheduled. */
    private volatile ScheduledFuture<?> task;
    private final long quietNanos;
    private long collectionsSeen;
    private long edenSeen;
    private long lastCollection = System.nanoTime();

    public HeapReturn(Duration quiet) {
        this.quietNanos = quiet.toNanos();
        this.collectionsSeen = collections();
    }

    /** Looks ten times a second (or at each quiet period, if shorter). */
    public void start() {
        long every = Math.min(LOOK_MILLIS, TimeUnit.NANOSECONDS.toMillis(quietNanos));
        task = thread.scheduleWithFixedDelay(this::look, every, every, TimeUnit.MILLISECONDS);
    }

    private void look() {
        long collections = collections();
        long edenUsed = sum(eden, pool -> pool.getUsage().getUsed());
        long allocated = edenUsed - edenSeen;
        edenSeen = edenUsed;
        if (collections != collectionsSeen) {
            collectionsSeen = collections;
            lastCollection = System.nanoTime();
            return;
        }
        long left = sum(oldGeneration, pool -> pool.getCollectionUsage().getUsed());
        long grown = sum(oldGeneration, pool -> pool.getUsage().getUsed()) - left;
        long room = sum(oldGeneration, pool -> pool.getUsage().getMax()) - left;
        boolean quiet = System.nanoTime() - lastCollection >= quietNanos;
        boolean idle = !eden.isEmpty() && room > 0 && allocated < IDLE_KB << 10 && grown >= room / 2;
        if (grown >= (long) GROWTH_MB << 20 && (quiet || idle)) {
            long before = committed();
            System.gc();
            collectionsSeen = collections();
            edenSeen = 0;
            lastCollection = System.nanoTime();
            LOG.fine(() -> (quiet ? "quiet" : "idle") + ": collected " + (grown >> 20) + " MB the old generation had "
                           + "grown; " + (before >> 20) + " MB committed before, " + (committed() >> 20) + " after");
        }
    }

    /** The memory pools whose name ends with one of these (each collector names its pools its own way). */
    private static List<MemoryPoolMXBean> pools(String... endings) {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> List.of(endings).stream().anyMatch(pool.getName()::endsWith)).toList();
    }

    private static long sum(List<MemoryPoolMXBean> pools, ToLongFunction<MemoryPoolMXBean> figure) {
        return pools.stream().mapToLong(figure).sum();
    }

    private long collections() {
        return collectors.stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }

    private static long committed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
    }

    /** Whether its periodic pass still runs: an error thrown out of a pass (out of memory) ends it for good. */
    public boolean isRunning() {
        ScheduledFuture<?> pass = task;
        return pass != null && !pass.isDone();
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
