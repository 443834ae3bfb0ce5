package io.htmlgraph.sidecar.store;

import java.nio.file.Files;
import java.nio.file.Path;

import io.htmlgraph.sidecar.TestSidecar;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
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
     * next write starts the WAL over, so bursts with pauses between them reuse one burst's worth of WAL file instead
     * of growing it towards {@link Checkpointer#WRITER_PAGES} (which twelve bursts do not reach either: without the
     * rewinds the file would be about twelve bursts long).
     */
    @Test
    void walStartsOver_afterAPause_insteadOfGrowing() throws Exception {
        try (TestSidecar sidecar = TestSidecar.start()) {
            Path wal = sidecar.db().resolveSibling(sidecar.db().getFileName() + "-wal");
            Thread.sleep(300);
            sidecar.busyTurn("burst-0");
            Thread.sleep(300);
            sidecar.busyTurn("burst-1");
            long burst = Files.size(wal);
            for (int i = 2; i < 12; i++) {
                // ten background checkpoints: with 300 ms, a full suite's two test JVMs on 2 cores once left four of
                // the ten pauses without a complete one (the WAL at 7.9 MB, five bursts)
                Thread.sleep(1000);
                sidecar.busyTurn("burst-" + i);
            }
            assertThat("WAL bytes after 12 bursts, against " + burst + " after two", Files.size(wal),
                       lessThan(3 * burst));
        }
    }
}
