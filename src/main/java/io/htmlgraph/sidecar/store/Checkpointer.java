package io.htmlgraph.sidecar.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Copies committed WAL pages into the database file on a thread and connection of its own, so that the writer's
 * commits never wait for it.
 * <p>
 * Why: SQLite checkpoints in the connection that commits, the writer, every 1,000 WAL pages by default: under single
 * hooks at 8 connections about 30 times a second, each with two fsyncs (on this project's VM p50 1.2 ms, p90 4.4 ms,
 * up to 20 ms; 1.4 s of every 10 s), while every request in the queue waits for the writer (docs/performance.md).
 * A {@code PASSIVE} checkpoint takes no write lock: the writer goes on committing while it copies and syncs.
 * <p>
 * The writer keeps an automatic checkpoint of its own at {@link #WRITER_PAGES}, which bounds the WAL: SQLite rewinds
 * the WAL to its start only when a write begins after every frame was copied. Between bursts of writes this
 * checkpointer achieves that (the WAL then stays as small as one burst), but not while writes never pause; the
 * writer's own checkpoint (no frame can be added while it runs) does, and finds most frames copied already. It still
 * holds up every queued request while it syncs the WAL and the file (three fsyncs, 5-15 ms on this project's VM), so
 * the bound is high: at 10,000 pages it ran 3 times a second under single hooks at 8 connections, and its stalls
 * were half of the requests slower than the p99 (docs/performance.md: the single-hook tail, round four).
 * <p>
 * While small commits arrive fast ({@link #BUSY_FRAMES_PER_MS}, {@link #SMALL_COMMIT_FRAMES}) it checkpoints every
 * {@link #BUSY_MS}, else every {@link #IDLE_MS}: under single hooks at 8 connections (about 8 frames a millisecond,
 * 21 a commit), checkpoints 100 ms apart made the slowest requests wait two to three times longer (p99.9 18-31 ms
 * against 10-13) than checkpoints 10 ms apart, each of which copies and syncs less. Large commits (batches: 144
 * frames and more; an import) keep the slow pace: checkpoints 10 ms apart copy a page that many commits rewrite each
 * time, and cost an import 5-30 % of its rows a second. So do slower streams of small commits (200 prompts a second,
 * whose live stream's tail the faster pace lengthened by a few milliseconds) and a sidecar with a few agents, which
 * keeps to ten checkpoints (twenty fsyncs) a second (docs/performance.md: the checkpointer's pace).
 */
final class Checkpointer implements AutoCloseable {
    /** The writer's automatic checkpoint, in WAL pages (SQLite's default 1,000): ~160 MB of WAL under steady writes. */
    static final int WRITER_PAGES = 40_000;
    /** The pause between checkpoints while small commits arrive fast. */
    static final long BUSY_MS = 10;
    /** The pause between checkpoints otherwise. */
    static final long IDLE_MS = 100;
    /**
     * WAL frames a millisecond, since the last checkpoint, from which frames arrive fast (16 MB/s of WAL): single hooks
     * at the machine's limit write about 8, 200 prompts a second about 3.
     */
    private static final double BUSY_FRAMES_PER_MS = 4;
    /** WAL frames per commit, since the last checkpoint, up to which commits are small (single hooks). */
    private static final long SMALL_COMMIT_FRAMES = 64;
    private static final Logger LOG = Logger.getLogger(Checkpointer.class.getName());

    private final Connection connection;
    private final LongSupplier commits;
    private final Thread thread;
    private volatile boolean running = true;
    private String lastFailure;
    /** The WAL's frame count and the writer's commits at the last checkpoint, and when it ran. */
    private long lastFrames;
    private long lastCommits;
    private long lastAt = System.nanoTime();

    /** @param commits the writer's commits so far */
    Checkpointer(Connection connection, LongSupplier commits) {
        this.connection = connection;
        this.commits = commits;
        this.thread = Thread.ofPlatform().name("wal-checkpointer").daemon(true).start(this::run);
    }

    private void run() {
        long pause = IDLE_MS;
        while (running) {
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                return;
            }
            pause = checkpoint();
        }
    }

    /**
     * One passive checkpoint (nothing to copy costs a few microseconds); a failure is logged when it is new.
     *
     * @return the pause before the next one
     */
    private long checkpoint() {
        try (Statement s = connection.createStatement();
             ResultSet result = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            lastFailure = null;
            long frames = result.next() ? result.getLong(2) : 0; // columns: busy, frames in the WAL, frames copied
            long now = System.nanoTime();
            long committed = commits.getAsLong();
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(now - lastAt);
            long pause = pause(lastFrames, frames, committed - lastCommits, elapsedMs);
            lastFrames = frames;
            lastCommits = committed;
            lastAt = now;
            return pause;
        } catch (SQLException e) {
            if (!Objects.equals(e.getMessage(), lastFailure)) {
                LOG.log(Level.WARNING, "background WAL checkpoint failed (the writer's own still runs)", e);
            }
            lastFailure = e.getMessage();
            return IDLE_MS;
        }
    }

    /**
     * The pause before the next checkpoint, from the WAL's frames at the last checkpoint and at this one, the commits
     * between them and the milliseconds.
     */
    static long pause(long framesBefore, long frames, long commits, long elapsedMs) {
        long added = frames >= framesBefore ? frames - framesBefore : frames; // a WAL that started over: all are new
        boolean fast = added > 0 && added >= BUSY_FRAMES_PER_MS * elapsedMs && added <= SMALL_COMMIT_FRAMES * commits;
        return fast ? BUSY_MS : IDLE_MS;
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
            thread.join(TimeUnit.SECONDS.toMillis(10));
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException ignored) {
            // closing at shutdown: nothing to keep
        }
    }
}
