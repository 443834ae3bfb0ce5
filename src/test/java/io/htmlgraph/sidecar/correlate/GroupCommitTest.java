package io.htmlgraph.sidecar.correlate;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.htmlgraph.sidecar.TestClock;
import io.htmlgraph.sidecar.ingest.BadInputException;
import io.htmlgraph.sidecar.ingest.Ingestor;
import io.htmlgraph.sidecar.store.Database;
import io.htmlgraph.sidecar.web.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.htmlgraph.sidecar.Hooks.prompt;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The writer's group commit with announced requests: a commit waits a little for requests whose bodies are being
 * parsed, never for long, and a refused request takes its announcement back (else every later commit would wait).
 */
class GroupCommitTest {
    private static final TestClock CLOCK = new TestClock(Instant.parse("2026-12-01T02:00:00Z"));

    private static Database database;
    private static EventWriter writer;
    private static Ingestor ingestor;
    private static final List<Long> COMMITS = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void open(@TempDir Path dir) {
        database = Database.open(dir.resolve("group.db"));
        writer = new EventWriter(database, CLOCK);
        writer.onCommit(COMMITS::add);
        ingestor = new Ingestor(Json.mapper(), 65_536, false, writer, CLOCK);
    }

    @AfterAll
    static void close() {
        writer.close();
        database.close();
    }

    @Test
    void anAnnouncedRequestThatNeverComes_holdsACommitBackOnlyBriefly() {
        writer.announce();
        try {
            long started = System.nanoTime();
            ingestor.hooks(bytes(prompt("s-lonely", "hello")), null);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertThat("the write returned after its commit, in " + millis + " ms", millis, lessThan(2_000L));
        } finally {
            writer.withdraw();
        }
        assertThat(writer.announced(), is(0));
    }

    @Test
    void aRefusedRequest_takesItsAnnouncementBack() {
        assertThrows(BadInputException.class, () -> ingestor.hooks(bytes("{\"no_session\": 1}"), null));
        assertThrows(BadInputException.class, () -> ingestor.hooks(bytes("not json"), null));
        assertThat(writer.announced(), is(0));
    }

    @Test
    void concurrentRequests_areEachAnsweredAfterACommit_andShareCommits() throws InterruptedException {
        int requests = 64;
        int before = COMMITS.size();
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(requests);
        List<Integer> commitsSeen = new CopyOnWriteArrayList<>();
        for (int i = 0; i < requests; i++) {
            String session = "s-group-" + i;
            Thread.ofVirtual().start(() -> {
                try {
                    start.await();
                    ingestor.hooks(bytes(prompt(session, "go")), null);
                    commitsSeen.add(COMMITS.size()); // answered only after the commit holding it was counted
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            });
        }
        start.countDown();
        assertThat(done.await(30, TimeUnit.SECONDS), is(true));
        assertThat(commitsSeen.size(), is(requests));
        assertThat(commitsSeen.stream().allMatch(seen -> seen > before), is(true));
        assertThat("commits for " + requests + " concurrent requests", COMMITS.size() - before,
                   is(lessThan(requests)));
        assertThat(writer.announced(), is(0));
        assertThat(COMMITS.size(), greaterThan(before));
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
