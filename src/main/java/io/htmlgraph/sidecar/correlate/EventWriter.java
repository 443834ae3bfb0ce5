package io.htmlgraph.sidecar.correlate;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbTransaction;
import io.htmlgraph.sidecar.domain.BadInputException;
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
 * (the transaction is applied again without it). A request returns only after its commit is durable. An htmlgraph
 * import's batches go behind the requests and share transactions of their own ({@link #importBatch}).
 */
public final class EventWriter implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EventWriter.class.getName());
    private static final int QUEUE_CAPACITY = 4096;
    private static final int MAX_EVENTS_PER_COMMIT = 5000;
    private static final long WAIT_SECONDS = 30;
    /** How long a batch is retried while another process holds the write lock (each try waits the busy timeout). */
    private static final long BUSY_RETRY_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long BUSY_PAUSE_MS = 200;
    /**
     * Rows of an import stored per transaction: each commit writes every page its rows changed, and rows of one
     * transaction share many (the table's end, the time-ordered indexes, the leaves of the event id's index), so
     * more rows per commit write fewer pages per row (docs/performance.md, the import, round seven).
     */
    private static final int IMPORT_ROWS_PER_COMMIT = 8000;
    /** An import transaction commits when the importer sends nothing more for this long. */
    private static final long IMPORT_PAUSE_MS = 200;

    private final DbClient db;
    private final WriterStatements statements;
    private final StoreHealth health;
    private final Correlator correlator;
    /**
     * Jobs in arrival order, except that an import's batches wait behind every other job: a hook queued while the
     * importer keeps batches queued waits for the batch being applied only (docs/performance.md, round seven).
     */
    private final BlockingQueue<Job> queue = new PriorityBlockingQueue<>(64, Comparator
            .comparing((Job job) -> job.kind().imported).thenComparingLong(Job::arrival));
    private final AtomicLong arrivals = new AtomicLong();
    private final Thread thread;
    private final List<Consumer<Commit>> commitListeners = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;
    private volatile String lastFailure;
    /** Why the last import transaction failed after its batches were answered; the next import job is told. */
    private RuntimeException importFailure;

    public EventWriter(Database database, Clock clock) {
        this.db = database.writerClient();
        this.statements = database.writerStatements();
        this.health = database.health();
        long lastSeq = db.execute().namedGet("max-seq").map(r -> Rows.wholeOr0(r, "seq")).orElse(0L);
        UsageLedger.Stored stored = db.execute().namedGet("usage-stored-any")
                .map(r -> new UsageLedger.Stored(Rows.wholeOr0(r, "tool_results") > 0, Rows.wholeOr0(r, "links") > 0))
                .orElse(new UsageLedger.Stored(false, false));
        this.correlator = new Correlator(clock, lastSeq, stored);
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
        await(job(Kind.REQUEST, events, null));
    }

    /**
     * Queues one batch of an htmlgraph import, to be applied in the import's open transaction: the future completes
     * once it is applied, before it commits, so that the importer reads on meanwhile and the heap holds only a few
     * batches. Its rows commit with the batches after it: at {@link #IMPORT_ROWS_PER_COMMIT} rows, when the importer
     * pauses, when any other job waits (which goes before the queued batches: a hook waits for the batch being
     * applied, not for a transaction's worth), and at {@link #endImport}. A batch that does not continue from the
     * stored cursor (one before it was lost with a failed transaction) fails; the importer reads again from there.
     *
     * @throws StoreBusyException when the writer is saturated or stopping
     */
    public CompletableFuture<Void> importBatch(ImportBatch batch) {
        health.checkWritable();
        Job job = job(Kind.IMPORT, List.of(batch), null);
        offer(job);
        return job.done().orTimeout(WAIT_SECONDS, TimeUnit.SECONDS).thenApply(applied -> null);
    }

    /**
     * Commits the import's open transaction.
     *
     * @throws StoreException when it, or an import transaction since the last batch answered, failed
     */
    public void endImport() {
        await(job(Kind.IMPORT_END, List.of(), null));
    }

    private void offer(Job job) {
        if (!running || queue.size() >= QUEUE_CAPACITY || !queue.offer(job)) {
            throw new StoreBusyException("the store is busy; retry shortly");
        }
    }

    private Object await(Job job) {
        offer(job);
        try {
            return job.done().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new StoreBusyException("the store did not answer within " + WAIT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreBusyException("interrupted while waiting for the store");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StoreFaultException || e.getCause() instanceof BadInputException) {
                throw (RuntimeException) e.getCause();
            }
            throw e.getCause() instanceof StoreException se ? se
                    : new StoreException((job.kind() == Kind.REQUEST ? "the store could not apply the events: "
                                          : "maintenance failed: ") + e.getCause().getMessage(), e.getCause());
        }
    }

    private void run() {
        List<Job> batch = new ArrayList<>();
        Job first = null;
        while (running || !queue.isEmpty() || first != null) {
            try {
                if (first == null && (first = queue.poll(100, TimeUnit.MILLISECONDS)) == null) {
                    continue;
                }
                Job job = first;
                first = null;
                batch.add(job);
                switch (job.kind()) {
                    case IMPORT, IMPORT_END -> first = importTransaction(job);
                    case MAINTENANCE, ALONE -> runMaintenance(job);
                    case REQUEST -> {
                        // The requests queued behind it join its commit; any other job taken runs next. (Taken,
                        // not peeked at first: a job that arrived earlier may be queued between a peek and a poll.)
                        int events = job.events().size();
                        while (events < MAX_EVENTS_PER_COMMIT && (first = queue.poll()) != null
                               && first.kind() == Kind.REQUEST) {
                            batch.add(first);
                            events += first.events().size();
                            first = null;
                        }
                        commitRetryingWhileBusy(batch);
                    }
                }
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
     * Applies an import's batches one after another in one transaction ({@link #importBatch}), and returns the job
     * that ended it when that is not one of them (to run next), else null. A failure rolls the transaction back and
     * fails the batch being applied, or, when every batch was answered, the import's next job; while another process
     * holds the write lock and no batch was answered yet, it tries again for a while, as requests do.
     */
    private Job importTransaction(Job first) throws InterruptedException {
        if (importFailure != null || first.kind() == Kind.IMPORT_END) {
            answer(first, importFailure);
            importFailure = null;
            return null;
        }
        long deadline = System.nanoTime() + BUSY_RETRY_NANOS;
        while (true) {
            DbTransaction tx = db.transaction();
            Job job = first;
            Job after = null;
            try {
                statements.bind(tx);
                for (int rows = 0; ; ) {
                    ImportBatch batch = (ImportBatch) job.events().getFirst();
                    apply(tx, job);
                    job.done().complete(null);
                    rows += batch.rows();
                    if (rows >= IMPORT_ROWS_PER_COMMIT
                        || (after = queue.poll(IMPORT_PAUSE_MS, TimeUnit.MILLISECONDS)) == null
                        || after.kind() != Kind.IMPORT) {
                        break;
                    }
                    job = after;
                    after = null;
                }
                beforeCommit(tx);
                tx.commit();
            } catch (RuntimeException e) {
                transactionFailed(tx, e);
                RuntimeException cause = e instanceof RequestFailed failed ? (RuntimeException) failed.getCause() : e;
                Optional<StoreFaultException> fault = StoreFaultException.of(cause);
                fault.ifPresent(health::failed);
                if (!first.done().isDone() && fault.isPresent() && fault.get().code() == ErrorCode.STORE_BUSY
                    && System.nanoTime() < deadline && running) {
                    Thread.sleep(BUSY_PAUSE_MS);
                    continue;
                }
                LOG.log(Level.WARNING, "import batches not stored (the import reads them again)", cause);
                lastFailure = String.valueOf(cause.getMessage());
                RuntimeException answer = fault.map(RuntimeException.class::cast).orElseGet(
                        () -> new StoreException("import batches not stored: " + cause.getMessage(), cause));
                if (!job.done().completeExceptionally(answer)) {
                    importFailure = answer;
                }
                return after;
            }
            health.committed();
            lastFailure = null;
            notifyListeners(Commit.anywhere(correlator.lastSeq()));
            return after;
        }
    }

    private static void answer(Job job, RuntimeException failure) {
        if (failure == null) {
            job.done().complete(null);
        } else {
            job.done().completeExceptionally(failure);
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
                if (failed.getCause() instanceof BadInputException refused) {
                    failed.job.done().completeExceptionally(refused);
                } else {
                    LOG.log(Level.WARNING, "events not stored", failed.getCause());
                    failed.job.done().completeExceptionally(
                            new StoreException("events not stored: " + failed.getMessage(), failed.getCause()));
                }
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
            beforeCommit(tx);
            tx.commit();
        } catch (RuntimeException e) {
            transactionFailed(tx, e);
            throw e;
        }
        lastFailure = null;
        // Listeners first (the query cache forgets stale answers), then the requests are answered: a client that
        // reads after its write was acknowledged never sees an answer from before it.
        notifyListeners(Commit.of(correlator.lastSeq(), jobs.stream().flatMap(job -> job.events().stream())
                .toList()));
        jobs.forEach(job -> job.done().complete(null));
    }

    /** The writer's summaries of the transaction, written before it commits. */
    private void beforeCommit(DbTransaction tx) {
        correlator.usage().beforeCommit(tx);
        correlator.presence().beforeCommit(tx);
        correlator.events().beforeCommit(tx);
        statements.unbind();
    }

    /** Forgets the summaries of a failed transaction and rolls it back. */
    private void transactionFailed(DbTransaction tx, RuntimeException failure) {
        statements.unbind();
        correlator.usage().transactionFailed();
        correlator.presence().transactionFailed();
        correlator.events().transactionFailed();
        rollback(tx, failure);
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
        if (job.kind() == Kind.ALONE) {
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
            correlator.applyAll(tx, job.events());
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

    public Health health() {
        return new Health(running && thread.isAlive(), lastFailure, queue.size());
    }

    /**
     * Runs {@code work} on the writer thread between commits, in its own transaction (background upkeep such as
     * retention: it waits its turn behind the queued requests and holds the writer only as long as it runs).
     */
    <T> T maintenance(Function<Maintenance, T> work) {
        return enqueue(job(Kind.MAINTENANCE, List.of(),
                               tx -> work.apply(new Maintenance(tx, correlator.stamps()))));
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
        return enqueue(job(Kind.ALONE, List.of(), tx -> work.get()));
    }

    private <T> T enqueue(Job job) {
        @SuppressWarnings("unchecked")
        T result = (T) await(job);
        return result;
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

    /** What a job is: which of the writer's paths it takes, and whether it waits behind the others. */
    private enum Kind {
        /** A request's events: commits grouped with the requests queued with it. */
        REQUEST(false),
        /** A batch of an htmlgraph import: joins the import's open transaction ({@link #importBatch}). */
        IMPORT(true),
        /** The end of an import: commits its open transaction. */
        IMPORT_END(true),
        /** A task in a transaction of its own. */
        MAINTENANCE(false),
        /** A task outside any transaction. */
        ALONE(false);

        private final boolean imported;

        Kind(boolean imported) {
            this.imported = imported;
        }
    }

    /**
     * A job for the writer: events to store or (with {@code work}) a task; {@code done} when it is answered;
     * {@code arrival} its place in the queue.
     */
    private record Job(Kind kind, List<? extends Ingested> events, Function<DbTransaction, Object> work,
                       CompletableFuture<Object> done, long arrival) {
    }

    private Job job(Kind kind, List<? extends Ingested> events, Function<DbTransaction, Object> work) {
        return new Job(kind, events, work, new CompletableFuture<>(), arrivals.incrementAndGet());
    }
}
