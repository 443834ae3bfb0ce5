package io.htmlgraph.sidecar.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import io.htmlgraph.sidecar.TestSidecar;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/**
 * Committed pages reach the database file without the writer checkpointing: a few hundred hooks write far fewer WAL
 * pages than the writer's own automatic checkpoint waits for ({@link Checkpointer#WRITER_PAGES}), so only the
 * background checkpointer can have copied them into the file.
 */
class CheckpointerTest {
    private static final int TIMEOUT_MS = 5000;

    @Test
    void committedHooks_reachTheDatabaseFile_withoutAWriterCheckpoint() throws Exception {
        try (TestSidecar sidecar = TestSidecar.start()) {
            Path file = sidecar.db();
            Path wal = file.resolveSibling(file.getFileName() + "-wal");
            Thread.sleep(300); // the migrations' pages are copied first
            long before = Files.size(file);
            sidecar.busyTurn("checkpointed");
            sidecar.busyTurn("checkpointed-2");
            assertThat("WAL pages written", Files.size(wal) / 4096, lessThan((long) Checkpointer.WRITER_PAGES));
            long deadline = System.currentTimeMillis() + TIMEOUT_MS;
            while (Files.size(file) <= before && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat("database file bytes after the hooks", Files.size(file), greaterThan(before));
        }
    }

    /**
     * Why the writer's own bound can be high: when writes pause, the background checkpoint copies every frame and the
     * next write starts the WAL over (SQLite then changes the header's salt), so bursts with pauses between them reuse
     * the start of the WAL file instead of growing it towards {@link Checkpointer#WRITER_PAGES}, which twelve bursts
     * do not reach: without the background checkpoints it would never start over here. Counted from the salt, not the
     * file's size: the size is the high-water mark, which one slow burst on a loaded machine raises for good. Two full
     * suites on 2 cores left it at five bursts' worth (their restarts were not recorded); two more, recorded, started
     * over after all ten pauses while one burst still raised the file by half.
     */
    @Test
    void walStartsOver_afterAPause_insteadOfGrowing() throws Exception {
        try (TestSidecar sidecar = TestSidecar.start()) {
            Path wal = sidecar.db().resolveSibling(sidecar.db().getFileName() + "-wal");
            Thread.sleep(300); // the migrations' pages are copied first
            sidecar.busyTurn("burst-0");
            int restarts = 0;
            int salt = salt(wal);
            for (int i = 1; i < 12; i++) {
                Thread.sleep(500); // five background checkpoints (three left it at 5 of 11 once, in a full suite)
                sidecar.busyTurn("burst-" + i);
                int next = salt(wal);
                restarts += next != salt ? 1 : 0;
                salt = next;
            }
            assertThat("times the WAL started over after one of 11 pauses", restarts, greaterThan(5));
        }
    }

    /**
     * The pace: checkpoints 10 ms apart while small commits arrive fast (single hooks at 8 connections: about 8 frames
     * a millisecond, 21 a commit), 100 ms apart for large commits (batches: 144 frames and more; an import), for
     * prompts streamed at 200 a second (about 3 frames a millisecond) and for a sidecar with a few agents (20 hooks a
     * second: about 0.26) or none.
     */
    @Test
    void checkpointsFollowEachOtherClosely_onlyWhileSmallCommitsArriveFast() {
        assertThat("single hooks", Checkpointer.pause(1_000, 1_800, 38, 100), is(Checkpointer.BUSY_MS));
        assertThat("single hooks, 10 ms apart", Checkpointer.pause(1_000, 1_080, 4, 10), is(Checkpointer.BUSY_MS));
        assertThat("a WAL started over", Checkpointer.pause(39_000, 90, 4, 10), is(Checkpointer.BUSY_MS));
        assertThat("batches of 100", Checkpointer.pause(1_000, 2_600, 11, 100), is(Checkpointer.IDLE_MS));
        assertThat("200 prompts a second", Checkpointer.pause(1_000, 1_300, 20, 100), is(Checkpointer.IDLE_MS));
        assertThat("a few agents", Checkpointer.pause(1_000, 1_026, 2, 100), is(Checkpointer.IDLE_MS));
        assertThat("slower after a fast pause", Checkpointer.pause(1_000, 1_015, 1, 10), is(Checkpointer.IDLE_MS));
        assertThat("no frame", Checkpointer.pause(1_000, 1_000, 0, 100), is(Checkpointer.IDLE_MS));
        assertThat("no frame within a millisecond", Checkpointer.pause(1_000, 1_000, 0, 0), is(Checkpointer.IDLE_MS));
    }

    /** The WAL header's first salt, which SQLite changes each time the WAL starts over. */
    private static int salt(Path wal) throws IOException {
        try (InputStream in = Files.newInputStream(wal)) {
            return ByteBuffer.wrap(in.readNBytes(20), 16, 4).getInt();
        }
    }
}
