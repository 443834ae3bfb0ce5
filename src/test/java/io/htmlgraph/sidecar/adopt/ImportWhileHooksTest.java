package io.htmlgraph.sidecar.adopt;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.htmlgraph.sidecar.correlate.EventWriter;
import io.htmlgraph.sidecar.domain.HookKind;
import io.htmlgraph.sidecar.domain.IngestEvent;
import io.htmlgraph.sidecar.ingest.TextCleaner;
import io.htmlgraph.sidecar.store.Database;
import io.htmlgraph.sidecar.store.ImportCursors;
import io.htmlgraph.sidecar.web.Json;
import io.htmlgraph.sidecar.TestSidecar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

/**
 * Hooks that arrive during an import end its transaction at the next batch (so that each waits for one batch, not a
 * transaction's worth): the import then commits in several transactions, and stores exactly what it stores alone.
 */
class ImportWhileHooksTest {
    private static final String IMPORTED = "SELECT (SELECT count(*) FROM agent_events WHERE session_id <> 's-hooks')"
            + " AS events, (SELECT count(*) FROM sessions WHERE session_id <> 's-hooks') AS sessions,"
            + " (SELECT count(*) FROM features) AS features, (SELECT count(*) FROM agent_collaboration) AS delegations,"
            + " (SELECT group_concat(status || ':' || ifnull(execution_duration_seconds, '-') || ':'"
            + " || ifnull(parent_event_id, '-')) FROM (SELECT * FROM agent_events WHERE session_id <> 's-hooks'"
            + " ORDER BY event_id)) AS calls";

    @TempDir
    Path dir;

    @Test
    void anImportWhileHooksArrive_commitsSeveralTimes_andStoresWhatItStoresAlone() throws Exception {
        HtmlgraphFixtures.assumePresent();
        Run alone = importFixture(false);
        Run withHooks = importFixture(true);
        // Alone, the fixture's 4,349 rows fit one transaction (more only when the reader pauses 200 ms: a loaded
        // machine); with hooks, each hook that comes during it ends it.
        assertThat(withHooks.commits(), greaterThan(1));
        assertThat(withHooks.hooks(), greaterThan(0));
        assertThat(withHooks.imported(), is(alone.imported()));
        assertThat(withHooks.hookRows(), is((long) withHooks.hooks()));
    }

    /** One import of the fixture into a new store, with hooks posted all along or none. */
    private Run importFixture(boolean hooks) throws Exception {
        Path run = Files.createDirectories(dir.resolve(hooks ? "hooks" : "alone"));
        Path file = HtmlgraphFixtures.copy(HtmlgraphFixtures.INDEX, run);
        Path store = run.resolve("test.db");
        AtomicInteger commits = new AtomicInteger();
        AtomicInteger posted = new AtomicInteger();
        AtomicBoolean importing = new AtomicBoolean(true);
        try (Database database = Database.open(store);
             EventWriter writer = new EventWriter(database, Clock.systemUTC())) {
            writer.onCommit(commit -> commits.addAndGet(commit.anywhere() ? 1 : 0));
            Thread poster = Thread.ofPlatform().start(() -> {
                while (hooks && importing.get()) {
                    writer.write(List.of(prompt(posted.getAndIncrement())));
                }
            });
            new Importer(writer, new ImportCursors(database), new TextCleaner(64 * 1024, false), Json.mapper(),
                         Clock.systemUTC()).pass(file);
            importing.set(false);
            poster.join();
        }
        try (TestSidecar sidecar = TestSidecar.reopen(store)) {
            return new Run(commits.get(), posted.get(), sidecar.rows(IMPORTED).get(0),
                           ((Number) sidecar.value("SELECT count(*) FROM agent_events WHERE session_id = 's-hooks'"))
                                   .longValue());
        }
    }

    private static IngestEvent prompt(int n) {
        return new IngestEvent("hooks", Instant.now(), "s-hooks", "UserPromptSubmit", HookKind.USER_PROMPT, "", null,
                null, null, null, null, null, "prompt " + n, null, null, null, false, IngestEvent.SessionFacts.NONE,
                "{\"n\":" + n + "}", "hash-" + n, null, null);
    }

    /** The import's commits, the hooks posted meanwhile, what the import stored, and the hooks' rows. */
    private record Run(int commits, int hooks, Map<String, Object> imported, long hookRows) {
    }
}
