package io.htmlgraph.sidecar.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import io.htmlgraph.sidecar.domain.ErrorCode;

/**
 * Whether the store can write, for readiness and for refusing writes early. The writer reports lock contention and a
 * full disk as it meets them; a watcher checks every second that the database file is still the one opened (deleted
 * or replaced underneath, writes would be acknowledged into a file nobody will read again) and, while a fault lasts,
 * probes whether it has passed (the write lock can be taken, space is free again).
 */
public final class StoreHealth implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StoreHealth.class.getName());
    private static final Duration PERIOD = Duration.ofSeconds(1);
    private static final long FREE_BYTES_NEEDED = 1024 * 1024;

    private final Path file;
    private volatile Object fileKey;
    private final ScheduledExecutorService watcher;
    /** Its periodic pass, once scheduled. */
    private volatile ScheduledFuture<?> task;
    private volatile ErrorCode fault;
    private volatile boolean fileLost;

    public StoreHealth(Path file) {
        this.file = file.toAbsolutePath();
        this.watcher = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("store-health")
                .daemon(true).unstarted(r));
    }

    /** Starts watching the file, once it exists (after the schema is in place). */
    void watch() {
        fileKey = key(file);
        task = watcher.scheduleWithFixedDelay(this::check, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The current fault's code ({@code store_busy}, {@code store_full}, {@code store_unavailable}), or null. */
    public ErrorCode fault() {
        return fault;
    }

    /** Whether the store can take writes. */
    public boolean writable() {
        return fault == null;
    }

    /** Refuses a write at once when the database file is gone: acknowledging it would lose it. */
    public void checkWritable() {
        if (fileLost) {
            throw new StoreFaultException(ErrorCode.STORE_UNAVAILABLE,
                    StoreFaultException.describe(ErrorCode.STORE_UNAVAILABLE)
                    + " (" + file + " was deleted or replaced: restart the sidecar)", null);
        }
    }

    public void failed(StoreFaultException e) {
        if (e.code() != fault) {
            LOG.warning("store cannot write (" + e.code() + "): " + e.getMessage() + " — readiness is DOWN");
        }
        fault = fileLost ? ErrorCode.STORE_UNAVAILABLE : e.code();
    }

    public void committed() {
        if (fault != null && !fileLost) {
            LOG.info("store writes again (was " + fault + ") — readiness is UP");
            fault = null;
        }
    }

    private void check() {
        try {
            if (!fileLost && !Objects.equals(fileKey, key(file))) {
                fileLost = true;
                fault = ErrorCode.STORE_UNAVAILABLE;
                LOG.severe("THE DATABASE FILE " + file + " WAS DELETED OR REPLACED while the sidecar runs: writes are"
                           + " refused (503) and readiness is DOWN; restart the sidecar to open the file anew");
            } else if (fault == ErrorCode.STORE_BUSY && canTakeWriteLock()
                       || fault == ErrorCode.STORE_FULL && hasSpace()) {
                committed();
            }
        } catch (RuntimeException e) {
            LOG.warning("store health check failed: " + e);
        }
    }

    private boolean canTakeWriteLock() {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 0");
            s.execute("BEGIN IMMEDIATE");
            s.execute("ROLLBACK");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private boolean hasSpace() {
        try {
            return Files.getFileStore(file).getUsableSpace() >= FREE_BYTES_NEEDED;
        } catch (IOException e) {
            return false;
        }
    }

    /** The file's identity (inode), null when it does not exist. */
    private static Object key(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return attributes.fileKey() != null ? attributes.fileKey() : attributes.creationTime();
        } catch (IOException e) {
            return null;
        }
    }

    /** Whether its periodic pass still runs: an error thrown out of a pass (out of memory) ends it for good. */
    public boolean isRunning() {
        ScheduledFuture<?> pass = task;
        return pass != null && !pass.isDone();
    }

    @Override
    public void close() {
        watcher.shutdownNow();
    }
}
