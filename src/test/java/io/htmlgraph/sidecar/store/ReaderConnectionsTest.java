package io.htmlgraph.sidecar.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.helidon.dbclient.DbRow;
import io.htmlgraph.sidecar.Hooks;
import io.htmlgraph.sidecar.TestSidecar;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A read pool thread reads through a connection of its own and keeps its prepared statements ({@link Reads}): it must
 * read what a pooled connection reads, see every commit made since (a kept statement holds no snapshot), run the same
 * statement while it is already open (a nested read), and close with the store.
 */
class ReaderConnectionsTest {
    private static final Params PAGE = new Params().with("limit", 50).with("offset", 0);

    @Test
    void aReaderThread_readsWhatThePoolReads_andEveryCommitSince() {
        try (TestSidecar sidecar = TestSidecar.start(); ReadPool readers = new ReadPool(1, 8)) {
            sidecar.hooks(Hooks.sessionStart("own-1", "claude-opus-4"), Hooks.prompt("own-1", "first <b>"));
            try (Database database = Database.open(sidecar.db())) {
                Reads reads = database.reads();
                List<Map<String, Object>> pooled = ReadsTest.values(PAGE.query(reads, "events-page"));
                assertThat(readers.run(() -> ReadsTest.values(PAGE.query(reads, "events-page"))), is(pooled));

                sidecar.hooks(Hooks.prompt("own-1", "second"));
                List<Map<String, Object>> after = readers.run(() -> ReadsTest.values(PAGE.query(reads, "events-page")));
                assertThat(after.size(), is(pooled.size() + 1));
                assertThat(after, is(ReadsTest.values(PAGE.query(reads, "events-page"))));
                assertThat(readers.run(() -> PAGE.list(reads, "events-page", row -> row.text(1))).size(),
                           is(after.size()));
            }
        }
    }

    @Test
    void theSameStatement_runsWhileItIsOpen_onOneReaderThread() {
        try (TestSidecar sidecar = TestSidecar.start(); ReadPool readers = new ReadPool(1, 8)) {
            sidecar.hooks(Hooks.sessionStart("own-2", "claude-opus-4"), Hooks.prompt("own-2", "one"),
                          Hooks.prompt("own-2", "two"), Hooks.stop("own-2", "done"));
            try (Database database = Database.open(sidecar.db())) {
                Reads reads = database.reads();
                int expected = ReadsTest.values(PAGE.query(reads, "events-page")).size();
                for (int round = 0; round < 3; round++) { // the kept statements serve the later rounds
                    List<Integer> sizes = readers.run(() -> {
                        try (Stream<DbRow> outer = PAGE.query(reads, "events-page")) {
                            Iterator<DbRow> rows = outer.iterator();
                            rows.next(); // the outer statement is lent and on its first row
                            int inner = ReadsTest.values(PAGE.query(reads, "events-page")).size();
                            int rest = 1;
                            for (; rows.hasNext(); rows.next()) {
                                rest++;
                            }
                            return List.of(inner, rest);
                        }
                    });
                    assertThat(sizes, is(List.of(expected, expected)));
                }
            }
        }
    }

    @Test
    void closingTheStore_closesEachReaderThreadsConnection_andLaterReadsFail() throws Exception {
        Path file = Files.createTempDirectory("own-connections").resolve("own.db");
        try (ReadPool readers = new ReadPool(2, 8);
             ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            Database database = Database.open(file);
            Path real = file.toRealPath();
            long before = openDescriptors(real);
            CountDownLatch both = new CountDownLatch(2); // two reads at once: one on each reader thread
            List<Future<Object>> reads = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                reads.add(callers.submit(() -> readers.run(() -> {
                    both.countDown();
                    await(both);
                    return database.reads().namedGet("stats-totals").isPresent();
                })));
            }
            for (Future<Object> read : reads) {
                assertThat(read.get(10, TimeUnit.SECONDS), is(true));
            }
            assertThat("each reader thread opened a connection", openDescriptors(real), is(before + 2));

            database.close();
            assertThat(openDescriptors(real), is(0L));
            RuntimeException refused = assertThrows(RuntimeException.class,
                    () -> readers.run(() -> database.reads().namedGet("stats-totals")));
            assertThat(refused.getMessage(), containsString("closed"));
        }
    }

    /** This process's open file descriptors on the file (Linux). */
    private static long openDescriptors(Path file) throws IOException {
        try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
            return descriptors.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(file);
                } catch (IOException e) {
                    return false; // closed while listing
                }
            }).count();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
