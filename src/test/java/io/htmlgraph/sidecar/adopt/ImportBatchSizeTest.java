package io.htmlgraph.sidecar.adopt;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.htmlgraph.sidecar.correlate.EventWriter;
import io.htmlgraph.sidecar.domain.HookKind;
import io.htmlgraph.sidecar.domain.IngestEvent;
import io.htmlgraph.sidecar.ingest.TextCleaner;
import io.htmlgraph.sidecar.store.Database;
import io.htmlgraph.sidecar.store.ImportCursors;
import io.htmlgraph.sidecar.web.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * While hooks arrive, an import writes smaller batches (each hook waits for the batch being written); without hooks,
 * larger ones. Seen in the commits of the import: the real fixture's 4,076 event rows in 2 batches or in 5.
 */
class ImportBatchSizeTest {
    private static final int EVENT_ROWS = 4076;

    @TempDir
    Path dir;

    @Test
    void anImportWritesSmallerBatchesWhileHooksArrive() throws Exception {
        assumeTrue(HtmlgraphFixtures.present(), "the shared fixtures are not beside this checkout");
        int alone = importCommits(false);
        int withHooks = importCommits(true);
        assertThat(withHooks - alone, is(batches(Importer.BATCH_ROWS_WHILE_REQUESTS) - batches(Importer.BATCH_ROWS)));
    }

    /** The commits of one import of the fixture into a new store, with hooks posted all along or none. */
    private int importCommits(boolean hooks) throws Exception {
        Path run = Files.createDirectories(dir.resolve(hooks ? "hooks" : "alone"));
        Path file = HtmlgraphFixtures.copy(HtmlgraphFixtures.INDEX, run);
        AtomicInteger commits = new AtomicInteger();
        AtomicBoolean importing = new AtomicBoolean(true);
        try (Database database = Database.open(run.resolve("store.db"));
             EventWriter writer = new EventWriter(database, Clock.systemUTC())) {
            writer.onCommit(commit -> commits.addAndGet(commit.anywhere() ? 1 : 0));
            Thread poster = Thread.ofPlatform().start(() -> {
                for (int n = 0; hooks && importing.get(); n++) {
                    writer.write(List.of(prompt(n)));
                    sleep();
                }
            });
            if (hooks) {
                writer.write(List.of(prompt(-1)));
            }
            new Importer(writer, new ImportCursors(database), new TextCleaner(64 * 1024, false), Json.mapper(),
                         Clock.systemUTC()).pass(file);
            importing.set(false);
            poster.join();
        }
        return commits.get();
    }

    private static int batches(int rows) {
        return (EVENT_ROWS + rows - 1) / rows;
    }

    private static IngestEvent prompt(int n) {
        return new IngestEvent("hooks", Instant.now(), "s-hooks", "UserPromptSubmit", HookKind.USER_PROMPT, "", null,
                null, null, null, null, null, "prompt " + n, null, null, null, false, IngestEvent.SessionFacts.NONE,
                "{\"n\":" + n + "}", "hash-" + n, null, null);
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
