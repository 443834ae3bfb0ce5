package io.htmlgraph.sidecar.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.htmlgraph.sidecar.correlate.Upkeep;

/**
 * Runs the store's upkeep in the background: every little while, turns quiet for {@code HTMLGRAPH_IDLE_AFTER} end as
 * interrupted; with {@code HTMLGRAPH_RETENTION}, events older than that are rolled up and pruned in batches sized so
 * that each holds the writer about {@value #TARGET_MILLIS} ms at most, with pauses between them for ingest, then the
 * freed pages go back to the file system.
 */
public final class UpkeepScheduler implements AutoCloseable {
    static final long TARGET_MILLIS = 50;
    private static final Logger LOG = Logger.getLogger(UpkeepScheduler.class.getName());
    private static final Duration RETENTION_EVERY = Duration.ofMinutes(10);
    private static final int MIN_BATCH = 20;
    private static final int MAX_BATCH = 5000;
    private static final long PAUSE_MILLIS = 50;

    private final Upkeep upkeep;
    private final Duration idleAfter;
    private final Optional<Duration> retention;
    private final boolean vacuum;
    private final ReentrantLock running = new ReentrantLock();
    private final Thread thread;
    private volatile boolean stopped;
    private int batch = 500;
    private long longestMillis;
    private volatile List<Long> lastRunBatches = List.of();
    private volatile List<Long> lastVacuumSteps = List.of();
    private int vacuumPages = 100;

    public UpkeepScheduler(Upkeep upkeep, Duration idleAfter, Optional<Duration> retention, boolean vacuum) {
        this.upkeep = upkeep;
        this.idleAfter = idleAfter;
        this.retention = retention;
        this.vacuum = vacuum;
        this.thread = Thread.ofPlatform().name("upkeep").daemon(true).unstarted(this::loop);
    }

    public void start() {
        thread.start();
    }

    /** One round now, on the caller's thread (tests; the schedule goes on). Returns the events pruned. */
    public long runNow() {
        running.lock();
        try {
            interruptIdleTurns();
            return retention.map(this::prune).orElse(0L);
        } finally {
            running.unlock();
        }
    }

    /** How long each incremental vacuum step of the last retention run took, in ms. */
    public List<Long> lastVacuumStepMillis() {
        return lastVacuumSteps;
    }

    /** How long each batch of the last retention run took (waiting for the writer included), in ms. */
    public List<Long> lastRunBatchMillis() {
        return lastRunBatches;
    }

    /** The longest time one retention batch took, waiting for the writer included. */
    public long longestBatchMillis() {
        return longestMillis;
    }

    private void loop() {
        Duration sweepEvery = Duration.ofMillis(Math.clamp(idleAfter.toMillis() / 4, 1000, 60_000));
        Instant nextPrune = Instant.now().plusSeconds(5);
        while (!stopped) {
            try {
                Thread.sleep(sweepEvery);
                running.lock();
                try {
                    interruptIdleTurns();
                    if (retention.isPresent() && !Instant.now().isBefore(nextPrune)) {
                        prune(retention.get());
                        nextPrune = Instant.now().plus(RETENTION_EVERY);
                    }
                } finally {
                    running.unlock();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "store upkeep failed; it is tried again later", e);
            }
        }
    }

    private void interruptIdleTurns() {
        Instant idleBefore = upkeep.now().minus(idleAfter);
        int ended;
        do {
            ended = upkeep.interruptIdleTurns(idleBefore);
        } while (ended >= 500 && !stopped);
    }

    private long prune(Duration keep) {
        Instant cutoff = upkeep.now().minus(keep);
        long total = 0;
        long deleted;
        List<Long> batches = new ArrayList<>();
        do {
            int limit = batch;
            long start = System.nanoTime();
            deleted = upkeep.pruneBatch(cutoff, limit);
            long millis = (System.nanoTime() - start) / 1_000_000;
            longestMillis = Math.max(longestMillis, millis);
            batches.add(millis);
            total += deleted;
            // keep each batch near the target: halve when slow, grow when quick
            batch = millis > TARGET_MILLIS ? Math.max(MIN_BATCH, batch / 2)
                    : millis < TARGET_MILLIS / 3 ? Math.min(MAX_BATCH, batch * 2) : batch;
            pause();
            if (deleted < limit) {
                break;
            }
        } while (!stopped);
        lastRunBatches = List.copyOf(batches);
        if (total > 0) {
            LOG.info("retention: pruned " + total + " events older than " + cutoff + " (rolled up by day)");
            returnFreePages();
        }
        return total;
    }

    private void returnFreePages() {
        if (!vacuum) {
            return;
        }
        long left = Long.MAX_VALUE;
        long before;
        List<Long> steps = new ArrayList<>();
        do {
            before = left;
            long start = System.nanoTime();
            left = upkeep.vacuumStep(vacuumPages);
            long millis = (System.nanoTime() - start) / 1_000_000;
            steps.add(millis);
            // moving pages costs more or less per page with the file's shape: size the steps like the batches
            vacuumPages = millis > TARGET_MILLIS ? Math.max(MIN_BATCH, vacuumPages / 2)
                    : millis < TARGET_MILLIS / 3 ? Math.min(MAX_BATCH, vacuumPages * 2) : vacuumPages;
            pause();
        } while (left > 0 && left < before && !stopped);
        lastVacuumSteps = List.copyOf(steps);
    }

    private void pause() {
        try {
            Thread.sleep(PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
    }

    /** Whether its thread still runs: an error thrown out of its loop (out of memory) ends it for good. */
    public boolean isRunning() {
        return thread.isAlive();
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
    }
}
