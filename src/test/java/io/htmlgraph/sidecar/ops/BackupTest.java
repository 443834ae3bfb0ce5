package io.htmlgraph.sidecar.ops;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import io.htmlgraph.sidecar.Hooks;
import io.htmlgraph.sidecar.TestSidecar;
import io.htmlgraph.sidecar.store.Backups;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/** Backups while ingest runs: consistent copies that open as databases with the events committed before them. */
class BackupTest {
    @Test
    void adminBackup_whileIngestRuns_writesAConsistentCopy_intoTheBackupDir() throws Exception {
        Path dir = Files.createTempDirectory("backups");
        try (TestSidecar sidecar = TestSidecar.start(Map.of("backup-dir", dir.toString()))) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger sent = new AtomicInteger();
            Thread ingest = Thread.ofVirtual().start(() -> {
                while (!stop.get()) {
                    int i = sent.incrementAndGet();
                    sidecar.hooks(Hooks.pre("s-bk", "Bash", "tu-" + i, Hooks.bash("echo " + i)).toString());
                }
            });
            while (sent.get() < 50) {
                Thread.sleep(10);
            }
            TestSidecar.Response answer = post(sidecar, "/admin/backup?name=during-ingest.db");
            stop.set(true);
            ingest.join();
            assertThat(answer.body(), answer.status(), is(201));
            JsonNode copy = answer.json();
            Path file = dir.resolve("during-ingest.db");
            assertThat(copy.get("path").asText(), is(file.toString()));
            assertThat(copy.get("bytes").asLong(), is(Files.size(file)));
            long copied = count(file, "SELECT count(*) FROM agent_events");
            assertThat(copied, greaterThan(0L));
            assertThat(copied, lessThanOrEqualTo((long) sent.get()));
            assertThat("the copy is whole", count(file, "SELECT count(*) FROM pragma_integrity_check"
                                                       + " WHERE integrity_check = 'ok'"), is(1L));
            assertThat("its event counts agree with its events",
                       count(file, "SELECT sum(events) FROM event_counts"), is(copied));
            assertThat(post(sidecar, "/admin/backup?name=during-ingest.db").status(), is(409));
            TestSidecar.Response bad = post(sidecar, "/admin/backup?name=../../etc/x");
            assertThat(bad.status(), is(400));
            assertThat(bad.json().get("error").asText(), is("bad_name"));
        }
    }

    @Test
    void fileBackup_readsTheFileBesideARunningSidecar_andRefusesToOverwrite() throws Exception {
        try (TestSidecar sidecar = TestSidecar.start()) {
            sidecar.hooks(Hooks.prompt("s-file", "hello"));
            Path target = Files.createTempDirectory("bk").resolve("sub/copy.db");
            Backups.Copy copy = Backups.copyFile(sidecar.db(), target);
            assertThat(copy.bytes(), is(Files.size(target)));
            assertThat(count(target, "SELECT count(*) FROM agent_events WHERE session_id = 's-file'"), is(1L));
            try {
                Backups.copyFile(sidecar.db(), target);
                throw new AssertionError("overwrote " + target);
            } catch (Backups.BackupExistsException expected) {
                assertThat(count(target, "SELECT count(*) FROM sessions"), is(1L));
            }
        }
    }

    private static TestSidecar.Response post(TestSidecar sidecar, String path) {
        return sidecar.send(HttpRequest.newBuilder(sidecar.adminUri(path))
                                    .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    private static long count(Path db, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             ResultSet rs = c.createStatement().executeQuery(sql)) {
            return rs.getLong(1);
        }
    }
}
