package io.htmlgraph.sidecar.live;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import io.htmlgraph.sidecar.TestSidecar;
import io.htmlgraph.sidecar.adopt.HtmlgraphFixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.htmlgraph.sidecar.adopt.HtmlgraphFixtures.CANONICAL;
import static io.htmlgraph.sidecar.adopt.HtmlgraphFixtures.INDEX;
import static io.htmlgraph.sidecar.adopt.HtmlgraphFixtures.copy;
import static io.htmlgraph.sidecar.adopt.HtmlgraphFixtures.event;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/**
 * A sidecar following an htmlgraph file ({@code HTMLGRAPH_IMPORT_DB} + {@code HTMLGRAPH_IMPORT_FOLLOW}) while
 * htmlgraph's hooks keep writing to it: new rows reach WebSocket clients like any hook, and a file replaced or
 * truncated underneath is read again rather than followed from a cursor that no longer means anything.
 */
class FollowedFileTest {
    private static final DateTimeFormatter HTMLGRAPH_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    @TempDir
    Path dir;

    @BeforeEach
    void fixtures() {
        HtmlgraphFixtures.assumePresent();
    }

    @Test
    void rowsAddedByAnotherConnection_reachWebSocketClientsWithinTwoSeconds() throws Exception {
        Path followed = copy(INDEX, dir);
        try (TestSidecar sidecar = following(followed)) {
            await(() -> count(sidecar, "tool_name = 'UserQuery'") == 73, 30_000);
            try (WsClient client = WsClient.connect(sidecar, "")) {
                String now = HTMLGRAPH_TIME.format(Instant.now());
                long written = System.nanoTime();
                HtmlgraphFixtures.write(followed, event("evt-follow-1", "sess-fd50862f", "UserQuery",
                        "Follow this file", now, null), event("evt-follow-2", "sess-fd50862f", "Bash",
                        "Bash: ls -la", now, "evt-that-never-existed"));
                JsonNode call = client.until(m -> m.path("event_id").asText().endsWith("-evt-follow-2"))
                        .getLast();
                long millis = (System.nanoTime() - written) / 1_000_000;
                assertThat("delivered after " + millis + " ms", millis, lessThan(2000L));
                assertThat(call.path("type").asText(), is("event"));
                assertThat(call.path("status").asText(), is("success"));
                // Its parent points at nothing in the file: it hangs under the prompt before it instead.
                assertThat(call.path("parent_event_id").asText(), endsWith("-evt-follow-1"));
            }
            JsonNode turns = sidecar.get("/api/events-grouped-by-prompt?session_id=sess-fd50862f&limit=1").json();
            assertThat(turns.path("conversation_turns").get(0).path("userQuery").path("event_id").asText(),
                       endsWith("-evt-follow-1"));
        }
    }

    @Test
    void aFileReplacedOrTruncatedUnderneath_isReadAgain() throws Exception {
        Path followed = copy(CANONICAL, dir);
        try (TestSidecar sidecar = following(followed)) {
            await(() -> count(sidecar, "event_id LIKE 'hg-%'") == 9, 30_000);
            // A new file in its place (another inode) whose only event has rowid 1, below the cursor (9): followed
            // by rowid alone, it would never be read.
            Path replacement = Files.createDirectory(dir.resolve("new")).resolve(CANONICAL);
            Files.copy(HtmlgraphFixtures.DIR.resolve(CANONICAL), replacement);
            replacement.toFile().setWritable(true);
            HtmlgraphFixtures.write(replacement, "DELETE FROM agent_events", event("evt-after-replace",
                    "sess-703b29b4", "Read", "Read: /app/README.md", "2026-01-11 09:00:00", null));
            Files.move(replacement, followed, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            await(() -> count(sidecar, "event_id LIKE 'hg-%-evt-after-replace'") == 1, 5_000);
            assertThat("the earlier rows are kept once", count(sidecar, "event_id LIKE 'hg-%'"), is(10L));
            // Truncated in place (same inode): rows gone, rowids start again below the cursor.
            HtmlgraphFixtures.write(followed, "DELETE FROM agent_events", event("evt-after-truncate",
                    "sess-703b29b4", "Grep", "Grep: TODO", "2026-01-11 09:05:00", null));
            await(() -> count(sidecar, "event_id LIKE 'hg-%-evt-after-truncate'") == 1, 5_000);
        }
    }

    private TestSidecar following(Path file) {
        return TestSidecar.start(Map.of("import.db", file.toString(), "import.follow", "true"));
    }

    private static long count(TestSidecar sidecar, String where) {
        return ((Number) sidecar.value("SELECT count(*) FROM agent_events WHERE " + where)).longValue();
    }

    private static void await(BooleanSupplier condition, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("not within " + millis + " ms");
            }
            Thread.sleep(50);
        }
    }
}
