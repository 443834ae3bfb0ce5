package io.htmlgraph.sidecar.store;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.htmlgraph.sidecar.ChildJvm;
import io.htmlgraph.sidecar.Sidecar;
import io.htmlgraph.sidecar.config.SidecarConfig;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A second sidecar on a database another one writes refuses to start, naming the file and the running one. */
class WriterLockTest {
    @Test
    void aSecondSidecarOnTheSameFile_refusesToStart_untilTheFirstIsGone() throws Exception {
        Path db = Files.createTempDirectory("lock").resolve("one.db");
        ProcessBuilder builder = new ProcessBuilder(ChildJvm.command("io.htmlgraph.sidecar.Main"))
                .redirectErrorStream(true);
        builder.environment().putAll(Map.of("HTMLGRAPH_DB", db.toString(), "HTMLGRAPH_PORT", "0",
                "HTMLGRAPH_ADMIN_PORT", "0", "HTMLGRAPH_ADMIN_HOST", "127.0.0.1"));
        Process first = builder.start();
        try {
            awaitStarted(first);
            StoreException refused = assertThrows(StoreException.class, () -> Sidecar.start(config(db)));
            assertThat(refused.getMessage(), containsString(db.toAbsolutePath().toString()));
            assertThat(refused.getMessage(), containsString("pid " + first.pid()));

            Process second = builder.start();
            assertThat(second.waitFor(30, TimeUnit.SECONDS), is(true));
            assertThat(second.exitValue(), is(1)); // start-up failures exit 1, bad settings 2 (README)
            String said = new String(second.getInputStream().readAllBytes());
            assertThat(said, containsString("cannot start: another sidecar is writing " + db.toAbsolutePath()));
            assertThat(said.strip().lines().count(), is(1L)); // one line, no stack trace
        } finally {
            first.destroyForcibly(); // SIGKILL: the OS releases the lock
            first.waitFor(10, TimeUnit.SECONDS);
        }
        try (Sidecar again = Sidecar.start(config(db))) {
            assertThat(again.port() > 0, is(true));
            assertThrows(StoreException.class, () -> Sidecar.start(config(db))); // and within one JVM too
        }
    }

    private static SidecarConfig config(Path db) {
        return SidecarConfig.withOverrides(Map.of("db", db.toString(), "port", "0", "admin.port", "0",
                                                  "admin.host", "127.0.0.1"));
    }

    private static void awaitStarted(Process process) throws Exception {
        BufferedReader log = new BufferedReader(new InputStreamReader(process.getInputStream()));
        String line;
        StringBuilder seen = new StringBuilder();
        while ((line = log.readLine()) != null) {
            seen.append(line).append('\n');
            if (line.contains("Claude Code hooks")) {
                Thread.ofVirtual().start(() -> log.lines().forEach(l -> { }));
                return;
            }
        }
        throw new AssertionError("the first sidecar did not start:\n" + seen);
    }
}
