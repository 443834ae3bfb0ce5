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
}
