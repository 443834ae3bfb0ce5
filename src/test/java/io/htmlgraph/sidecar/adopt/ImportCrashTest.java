package io.htmlgraph.sidecar.adopt;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.htmlgraph.sidecar.ChildJvm;
import io.htmlgraph.sidecar.TestSidecar;
import io.htmlgraph.sidecar.bench.HtmlgraphFileGen;
import io.htmlgraph.sidecar.config.SidecarConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/**
 * An import killed with SIGKILL half-way, or a sidecar stopped during its background import, resumes where its last
 * commit left it: the store ends up exactly as after one uninterrupted import, nothing twice and nothing missing.
 */
class ImportCrashTest {
    @TempDir
    static Path shared;
    private static Path file;
    private static Path clean;

    @TempDir
    Path dir;

    @BeforeAll
    static void aLargeFileImportedOnce() throws Exception {
        HtmlgraphFixtures.assumePresent();
        file = shared.resolve("large.sqlite");
        HtmlgraphFileGen.main(new String[] {HtmlgraphFixtures.DIR.resolve(HtmlgraphFixtures.INDEX).toString(),
                                            file.toString(), "32000"});
        clean = shared.resolve("clean.db");
        assertThat(importInProcess(file, clean), is(0));
    }

    @Test
    void importKilledMidway_thenRunAgain_endsAsOneCleanImport() throws Exception {
        Path crashed = dir.resolve("crashed.db");
        ProcessBuilder builder = new ProcessBuilder(ChildJvm.command("io.htmlgraph.sidecar.Main", "import",
                                                                     file.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("import.log").toFile());
        builder.environment().put("HTMLGRAPH_DB", crashed.toString());
        Process importer = builder.start();
        importer.getOutputStream().close();
        long cursor = 0;
        try {
            long deadline = System.currentTimeMillis() + 60_000;
            while (cursor == 0 && System.currentTimeMillis() < deadline && importer.isAlive()) {
                Thread.sleep(20);
                cursor = eventsCursor(crashed);
            }
            importer.destroyForcibly(); // SIGKILL mid-import
            assertThat(importer.waitFor(10, TimeUnit.SECONDS), is(true));
        } finally {
            importer.destroyForcibly();
        }
        cursor = eventsCursor(crashed);
        assertThat("killed after a commit", cursor, greaterThan(0L));
        assertThat("killed before the end", cursor, lessThan(maxRowid(file)));
        assertThat(importInProcess(file, crashed), is(0));
        assertThat(state(crashed), is(state(clean)));
    }

    @Test
    void sidecarStoppedDuringItsBackgroundImport_stopsBetweenBatches_andTheNextImportEndsClean() throws Exception {
        Path store = dir.resolve("test.db");
        long cursor;
        try (TestSidecar sidecar = TestSidecar.reopen(store, Map.of("import.db", file.toString()))) {
            long deadline = System.currentTimeMillis() + 60_000;
            while ((cursor = eventsCursor(store)) == 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat("the import committed once", cursor, greaterThan(0L));
        }
        assertThat("stopped before the end of the file", eventsCursor(store), lessThan(maxRowid(file)));
        assertThat(importInProcess(file, store), is(0));
        assertThat(state(store), is(state(clean)));
    }

    private static int importInProcess(Path file, Path store) {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return ImportCommand.run(new String[] {"import", file.toString()},
                                 SidecarConfig.withOverrides(Map.of("db", store.toString())), out, out);
    }

    private static long eventsCursor(Path store) {
        if (!store.toFile().exists()) {
            return 0;
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + store + "?mode=ro");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(
                     "SELECT last_rowid FROM import_cursors WHERE source_table = 'agent_events'")) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            return 0; // not created yet
        }
    }

    private static long maxRowid(Path file) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + file + "?mode=ro");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT max(rowid) FROM agent_events")) {
            return rs.getLong(1);
        }
    }

    /** Everything an import decides: rows, statuses, times, parents, counters, cursors. */
    private static String state(Path store) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + store);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT count(*) || ' ' || sum(length(event_id || status"
                     + " || timestamp || coalesce(parent_event_id, '-') || coalesce(ended_at, '-'))) FROM agent_events)"
                     + " || ' ' || (SELECT count(*) || ' ' || sum(total_events) FROM sessions)"
                     + " || ' ' || (SELECT count(*) FROM features) || ' ' || (SELECT count(*) FROM agent_collaboration)"
                     + " || ' ' || (SELECT group_concat(source_table || last_rowid) FROM import_cursors)")) {
            return rs.getString(1);
        }
    }
}
