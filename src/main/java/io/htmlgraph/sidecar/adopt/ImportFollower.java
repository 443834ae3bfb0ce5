package io.htmlgraph.sidecar.adopt;

import java.nio.file.Path;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.htmlgraph.sidecar.metrics.ImportMetrics;
import io.htmlgraph.sidecar.store.SourceFileException;
import io.htmlgraph.sidecar.store.StoreBusyException;

/**
 * Imports an htmlgraph file in the background while the sidecar serves, and with follow on keeps reading what
 * htmlgraph's hooks add: a pass every {@link #INTERVAL}, so new rows are stored (and pushed to WebSocket clients by
 * the writer's commit listeners) within about a second. A missing or broken file is logged and retried. Rows read
 * and passes are counted in {@link ImportMetrics}.
 */
public final class ImportFollower implements AutoCloseable {
    /** Between passes: well inside the 2 s promised for new rows. */
    public static final Duration INTERVAL = Duration.ofMillis(500);
    private static final Logger LOG = Logger.getLogger(ImportFollower.class.getName());

    private final Importer importer;
    private final Path file;
    private final boolean follow;
    private final ImportMetrics metrics;
    private final Thread thread;
    private volatile boolean running = true;
    private String lastProblem;

    private ImportFollower(Importer importer, Path file, boolean follow, ImportMetrics metrics) {
        this.importer = importer;
        this.file = file;
        this.follow = follow;
        this.metrics = metrics;
        this.thread = Thread.ofPlatform().name("htmlgraph-import").daemon(true).unstarted(this::run);
    }

    /** Starts importing {@code file}; with {@code follow}, keeps following it until closed. */
    public static ImportFollower start(Importer importer, Path file, boolean follow, ImportMetrics metrics) {
        ImportFollower follower = new ImportFollower(importer, file, follow, metrics);
        LOG.info(() -> "import: reading " + file.toAbsolutePath() + (follow ? " and following it" : " once"));
        follower.thread.start();
        return follower;
    }

    private void run() {
        while (running) {
            boolean done = passOnce();
            if (done && !follow) {
                return;
            }
            try {
                Thread.sleep(INTERVAL);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One pass; true when it read the file to its end. */
    private boolean passOnce() {
        try {
            importer.pass(file, metrics::rowsRead);
        } catch (RuntimeException e) {
            if (running) {
                failed(e);
                return false;
            }
        }
        if (!running) { // close() cut the pass short between batches
            LOG.info(() -> "import: stopped before the end of " + file + "; the next start goes on from there");
            return false;
        }
        metrics.passCompleted();
        lastProblem = null;
        return true;
    }

    /** Counts and logs a failed pass (a problem with the file or a busy store once, until it changes). */
    private void failed(RuntimeException e) {
        metrics.passFailed();
        if (e instanceof SourceFileException || e instanceof StoreBusyException) {
            if (!e.getMessage().equals(lastProblem)) {
                LOG.warning("import: " + e.getMessage() + " (retrying)");
                lastProblem = e.getMessage();
            }
        } else {
            LOG.log(Level.WARNING, "import: a pass over " + file + " failed (retrying)", e);
        }
    }

    /** Whether its thread still runs: an error thrown out of its loop (out of memory) ends it for good. */
    public boolean isRunning() {
        return running && thread.isAlive();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
