package io.htmlgraph.sidecar.correlate;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbTransaction;
import io.htmlgraph.sidecar.domain.ErrorCode;
import io.htmlgraph.sidecar.domain.ImportBatch;
import io.htmlgraph.sidecar.domain.Ingested;
import io.htmlgraph.sidecar.store.WriterStatements;
import io.htmlgraph.sidecar.store.Database;
import io.htmlgraph.sidecar.store.Rows;
import io.htmlgraph.sidecar.store.StoreBusyException;
import io.htmlgraph.sidecar.store.StoreException;
import io.htmlgraph.sidecar.store.StoreFaultException;
import io.htmlgraph.sidecar.store.StoreHealth;

/**
 * The store's single writer. Requests hand it their events and wait; one thread applies them in order and commits
 * many requests in one transaction (group commit); a failing request stores nothing and does not fail the others
 * (the transaction is applied again without it). A request returns only after its commit is durable.
 */
public final class EventWriter implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EventWriter.class.getName());
    private static final int QUEUE_CAPACITY = 4096;
    private static final int MAX_EVENTS_PER_COMMIT = 5000;
    private static final long WAIT_SECONDS = 30;
    /** How long a batch is retried while another process holds the write lock (each try waits the busy timeout). */
    private static final long BUSY_RETRY_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long BUSY_PAUSE_MS = 200;

    private final DbClient db;
    private final WriterStatements statements;
    private final StoreHealth health;
    private final Correlator correlator;
    private final BlockingQueue<Job> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Thread thread;
    private final List<Consumer<Commit>> commitListeners = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;
    private volatile String lastFailure;
    /** {@link System#nanoTime()} when a request (not an import batch) last committed; 0 before the first. */
    private volatile long lastRequestCommit;

    public EventWriter(Database database, Clock clock) {
        this.db = database.writerClient();
        this.statements = database.writerStatements();
        this.health = database.health();
        long lastSeq = db.execute().namedGet("max-seq").map(r -> Rows.wholeOr0(r, "seq")).orElse(0L);
        boolean toolResults = db.execute().namedGet("tool-results-any").map(r -> Rows.wholeOr0(r, "stored") > 0)
                .orElse(false);
        this.correlator = new Correlator(clock, lastSeq, toolResults);
        this.thread = Thread.ofPlatform().name("sqlite-writer").daemon(true).start(this::run);
    }

    /**
     * Calls {@code listener} on the writer thread after every commit with the last sequence number committed and the
     * sessions it wrote to (keep it short and non-blocking).
     */
    public void onCommit(Consumer<Commit> listener) {
        commitListeners.add(listener);
    }

    /**
     * Stores the events of one request, all or nothing.
     *
     * @throws StoreBusyException when the writer is saturated or stopping
     * @throws StoreException     when the store failed to apply or commit them
     */
    public void write(List<? extends Ingested> events) {
        health.checkWritable();
        Job job = new Job(events, new CompletableFuture<>(), null, false);
        if (!running || !queue.offer(job)) {
            throw new StoreBusyException("the store is busy; retry shortly");
        }
        try {
            job.done().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new StoreBusyException("the store did not commit within " + WAIT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreBusyException("interrupted while waiting for the store");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StoreFaultException fault) {
                throw fault;
            }
            throw e.getCause() instanceof StoreException se ? se
                    : new StoreException("the store could not apply the events: " + e.getCause().getMessage(),
                                         e.getCause());
        }
    }

    private void run() {
        List<Job> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Job first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                if (first.work() != null) {
                    runMaintenance(first);
                    continue;
                }
                int events = first.events().size();
                Job next;
                while (events < MAX_EVENTS_PER_COMMIT && (next = queue.peek()) != null && next.work() == null
                       && !next.isImport()) {
                    batch.add(queue.poll());
                    events += next.events().size();
                }
                commitRetryingWhileBusy(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) { // maintenance work failed (commits answer their own failures)
                LOG.log(Level.SEVERE, "store writer failed", e);
                lastFailure = String.valueOf(e.getMessage());
                batch.forEach(job -> job.done().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    /**
     * Commits the batch; while another process holds the write lock, tries again for a while (the requests wait
     * anyway). A store fault (busy, disk full, file gone) fails the requests with its code and turns readiness DOWN.
     */
    private void commitRetryingWhileBusy(List<Job> batch) throws InterruptedException {
        long deadline = System.nanoTime() + BUSY_RETRY_NANOS;
        while (true) {
            try {
                commit(batch);
                health.committed();
                return;
            } catch (RuntimeException e) {
                Optional<StoreFaultException> fault = StoreFaultException.of(e);
                fault.ifPresent(health::failed);
                batch.removeIf(job -> job.done().isDone()); // refused alone (their own failure): answered
                boolean busy = fault.isPresent() && fault.get().code() == ErrorCode.STORE_BUSY;
                if (!busy || System.nanoTime() > deadline || batch.isEmpty() || !running) {
                    LOG.log(fault.isPresent() ? Level.WARNING : Level.SEVERE, "store writer failed", e);
                    lastFailure = String.valueOf(e.getMessage());
                    RuntimeException answer = fault.map(RuntimeException.class::cast).orElse(e);
                    batch.forEach(job -> job.done().completeExceptionally(answer));
                    return;
                }
                Thread.sleep(BUSY_PAUSE_MS);
            }
        }
    }

    /**
     * One transaction for the whole batch, without savepoints: while a savepoint is open SQLite copies every page a
     * request changes to its sub-journal (a temp file once past 64 KiB), a third of the writer's page writes
     * (docs/performance.md: the write path). When a request fails, the transaction is rolled back, that request
     * answered with its failure, and the others applied again without it: the outcome a savepoint per request gave
     * (requests applied in order, a failing one leaving nothing), at the cost of applying the others twice, only then.
     */
    private void commit(List<Job> batch) {
        List<Job> jobs = new ArrayList<>(batch);
        while (!jobs.isEmpty()) {
            try {
                commitAll(jobs);
                return;
            } catch (RequestFailed failed) {
                LOG.log(Level.WARNING, "events not stored", failed.getCause());
                failed.job.done().completeExceptionally(
                        new StoreException("events not stored: " + failed.getMessage(), failed.getCause()));
                jobs.remove(failed.job);
            }
        }
    }

    private void commitAll(List<Job> jobs) {
        DbTransaction tx = db.transaction();
        try {
            statements.bind(tx);
            for (Job job : jobs) {
                apply(tx, job);
            }
            correlator.usage().beforeCommit(tx);
            correlator.presence().beforeCommit(tx);
            correlator.events().beforeCommit(tx);
            statements.unbind();
            tx.commit();
        } catch (RuntimeException e) {
            statements.unbind();
            correlator.usage().transactionFailed();
            correlator.presence().transactionFailed();
            correlator.events().transactionFailed();
            rollback(tx, e);
            throw e;
        }
        lastFailure = null;
        if (jobs.size() > 1 || !jobs.getFirst().isImport()) { // an import batch joins no group: any other is a request
            lastRequestCommit = System.nanoTime();
        }
        // Listeners first (the query cache forgets stale answers), then the requests are answered: a client that
        // reads after its write was acknowledged never sees an answer from before it.
        notifyListeners(Commit.of(correlator.lastSeq(), jobs.stream().flatMap(job -> job.events().stream())
                .toList()));
        jobs.forEach(job -> job.done().complete(null));
    }

    /** Rolls the transaction back, and makes sure the writer's connection is left with none open. */
    private void rollback(DbTransaction tx, RuntimeException failure) {
        try {
            tx.rollback();
        } catch (RuntimeException rollbackFailed) {
            failure.addSuppressed(rollbackFailed);
        }
        try {
            statements.abandon();
        } catch (RuntimeException resetFailed) {
            failure.addSuppressed(resetFailed);
        }
    }

    private void notifyListeners(Commit committed) {
        for (Consumer<Commit> listener : commitListeners) {
            try {
                listener.accept(committed);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a commit listener failed", e);
            }
        }
    }

    /**
     * A maintenance task: its own transaction; then the writer's memory of sessions and agents is reloaded from the
     * store (the task may have removed rows it points to) and the listeners hear of the commit.
     */
    private void runMaintenance(Job job) {
        if (!job.transactional()) {
            try {
                job.done().complete(job.work().apply(null));
            } catch (RuntimeException e) {
                job.done().completeExceptionally(e);
            }
            return;
        }
        DbTransaction tx = db.transaction();
        Object result;
        try {
            statements.bind(tx);
            result = job.work().apply(tx);
            statements.unbind();
            tx.commit();
        } catch (RuntimeException e) {
            statements.unbind();
            rollback(tx, e);
            job.done().completeExceptionally(e);
            return;
        } finally {
            correlator.presence().transactionFailed();
        }
        notifyListeners(Commit.anywhere(correlator.lastSeq()));
        job.done().complete(result);
    }

    /**
     * Applies one request's events. A failure of the request's own ({@link RequestFailed}) or of the store (a fault,
     * which would fail the others too) fails the transaction.
     */
    private void apply(DbTransaction tx, Job job) {
        try {
            job.events().forEach(event -> correlator.apply(tx, event));
        } catch (RuntimeException e) {
            throw StoreFaultException.of(e).isPresent() ? e : new RequestFailed(job, e);
        }
    }

    /** A request failed: the transaction goes again without it. */
    private static final class RequestFailed extends RuntimeException {
        private final transient Job job;

        RequestFailed(Job job, RuntimeException cause) {
            super(cause.getMessage(), cause, false, false);
            this.job = job;
        }
    }

    /** The writer's state for readiness: alive, and why its last commit failed (null when it did not). */
    public record Health(boolean alive, String lastFailure, int queued) {
    }

    /** Whether a request other than an import batch committed within {@code window}: hooks are arriving. */
    public boolean requestsCommittedWithin(Duration window) {
        long last = lastRequestCommit;
        return last != 0 && System.nanoTime() - last < window.toNanos();
    }

    public Health health() {
        return new Health(running && thread.isAlive(), lastFailure, queue.size());
    }

    /**
     * Runs {@code work} on the writer thread between commits, in its own transaction (background upkeep such as
     * retention: it waits its turn behind the queued requests and holds the writer only as long as it runs).
     */
    <T> T maintenance(Function<Maintenance, T> work) {
        return enqueue(new Job(List.of(), new CompletableFuture<>(),
                               tx -> work.apply(new Maintenance(tx, correlator.stamps())), true));
    }

    /** Sets the page cache of the writer's connection, in KiB (on the writer thread, between commits). */
    public void pageCache(int kib) {
        alone(() -> {
            statements.pageCache(kib);
            return null;
        });
    }

    /** Runs {@code work} on the writer thread between commits, outside any transaction of the writer's. */
    <T> T alone(Supplier<T> work) {
        return enqueue(new Job(List.of(), new CompletableFuture<>(), tx -> work.get(), false));
    }

    private <T> T enqueue(Job job) {
        CompletableFuture<Object> done = job.done();
        if (!running || !queue.offer(job)) {
            throw new StoreBusyException("the store is busy; retry shortly");
        }
        try {
            @SuppressWarnings("unchecked")
            T result = (T) done.get(WAIT_SECONDS, TimeUnit.SECONDS);
            return result;
        } catch (TimeoutException e) {
            throw new StoreBusyException("the store did not run maintenance within " + WAIT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreBusyException("interrupted while waiting for the store");
        } catch (ExecutionException e) {
            throw new StoreException("maintenance failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Requests' events to store, or (with {@code work}) a maintenance task that runs alone in its transaction. */
    private record Job(List<? extends Ingested> events, CompletableFuture<Object> done,
                       Function<DbTransaction, Object> work, boolean transactional) {
        /**
         * Whether this is a batch of an htmlgraph import (about 0.2 s of the writer). It begins a transaction of its
         * own: joined to a request's, it made that request wait for it too (hooks posted during an import waited
         * p50 173 ms, max 493 ms; docs/performance.md, the import, round six).
         */
        boolean isImport() {
            return events.size() == 1 && events.getFirst() instanceof ImportBatch;
        }
    }
}
