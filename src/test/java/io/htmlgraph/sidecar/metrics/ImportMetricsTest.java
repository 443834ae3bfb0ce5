package io.htmlgraph.sidecar.metrics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

import io.htmlgraph.sidecar.TestSidecar;
import io.htmlgraph.sidecar.Tools;
import io.htmlgraph.sidecar.adopt.HtmlgraphFixtures;
import io.htmlgraph.sidecar.store.HtmlgraphFile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/**
 * The import's families on a sidecar following an htmlgraph file: rows read per source table as the file holds them,
 * passes completed or failed, and when a pass last reached the file's end; a file it cannot read counts failed
 * passes until a good one takes its place.
 */
class ImportMetricsTest {
    private static final String COMPLETED = "htmlgraph_import_passes_total{outcome=\"completed\"}";
    private static final String FAILED = "htmlgraph_import_passes_total{outcome=\"failed\"}";
    private static final String COMPLETED_AT = "htmlgraph_import_last_completed_timestamp_seconds";

    @TempDir
    Path dir;

    @BeforeEach
    void fixtures() {
        HtmlgraphFixtures.assumePresent();
    }

    @Test
    void aFollowedFile_countsItsRowsPerTable_andItsPasses() throws Exception {
        Path file = HtmlgraphFixtures.copy(HtmlgraphFixtures.INDEX, dir);
        Map<String, Long> inFile = rowsPerTable(file);
        double before = System.currentTimeMillis() / 1000.0;
        try (TestSidecar sidecar = following(file)) {
            // the first pass reads the whole file; the ones after it (every 0.5 s) find nothing new
            Exposition m = scrapeUntil(sidecar, e -> e.value(COMPLETED) >= 2);
            inFile.forEach((table, rows) -> assertThat(table, m.value("htmlgraph_import_rows_read_total{table=\""
                                                                      + table + "\"}"), is((double) rows)));
            assertThat(m.sum("htmlgraph_import_rows_read_total"),
                       is((double) inFile.values().stream().mapToLong(Long::longValue).sum()));
            assertThat(m.value(FAILED), is(0.0));
            assertThat(m.value(COMPLETED_AT), allOf(greaterThanOrEqualTo(before),
                                                    lessThanOrEqualTo(System.currentTimeMillis() / 1000.0)));

            HtmlgraphFixtures.write(file, HtmlgraphFixtures.event("evt-metrics-1", "sess-fd50862f", "Read",
                    "Read: /app/README.md", "2026-01-11 09:00:00", null));
            Exposition after = scrapeUntil(sidecar, e -> e.value("htmlgraph_import_rows_read_total{table=\""
                    + "agent_events\"}") == inFile.get("agent_events") + 1);
            assertThat(after.value(FAILED), is(0.0));
            Tools.assertPromtoolFindsNothing(sidecar.scrape());
        }
    }

    @Test
    void aFileThatCannotBeRead_countsFailedPasses_untilAGoodOneTakesItsPlace() throws Exception {
        Path file = Files.writeString(dir.resolve("index.sqlite"), "not a database");
        try (TestSidecar sidecar = following(file)) {
            Exposition failing = scrapeUntil(sidecar, e -> e.value(FAILED) >= 2);
            assertThat(failing.value(COMPLETED), is(0.0));
            assertThat(failing.sum("htmlgraph_import_rows_read_total"), is(0.0));
            assertThat(Double.isNaN(failing.value(COMPLETED_AT)), is(true));

            Path good = HtmlgraphFixtures.copy(HtmlgraphFixtures.CANONICAL, Files.createDirectory(dir.resolve("new")));
            Files.move(good, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Exposition recovered = scrapeUntil(sidecar, e -> e.value(COMPLETED) >= 1);
            assertThat(recovered.value("htmlgraph_import_rows_read_total{table=\"agent_events\"}"),
                       is((double) rowsPerTable(file).get("agent_events")));
            assertThat(recovered.value(FAILED), greaterThan(1.0));
        }
    }

    private static TestSidecar following(Path file) {
        return TestSidecar.start(Map.of("import.db", file.toString(), "import.follow", "true"));
    }

    /** Scrapes until the condition holds (the follower passes every 0.5 s), at most 30 s. */
    private static Exposition scrapeUntil(TestSidecar sidecar, Predicate<Exposition> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        Exposition m = Exposition.parse(sidecar.scrapeAsIs());
        while (!condition.test(m)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s; last scrape:\n" + sidecar.scrapeAsIs());
            }
            Thread.sleep(100);
            m = Exposition.parse(sidecar.scrapeAsIs());
        }
        return m;
    }

    /** The rows of each table the import reads, as the file holds them. */
    private static Map<String, Long> rowsPerTable(Path file) throws SQLException {
        Map<String, Long> rows = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + file + "?mode=ro");
             Statement s = c.createStatement()) {
            for (String table : HtmlgraphFile.TABLES) {
                try (ResultSet exists = s.executeQuery("SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                                                       + " AND name = '" + table + "'")) {
                    if (exists.getLong(1) == 0) {
                        continue;
                    }
                }
                try (ResultSet count = s.executeQuery("SELECT count(*) FROM \"" + table + "\"")) {
                    rows.put(table, count.getLong(1));
                }
            }
        }
        return rows;
    }
}
