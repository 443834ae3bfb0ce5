package io.htmlgraph.sidecar.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Rows are read with the columns asked for only: typed ones keep their numbers, the others come as text. */
class HtmlgraphFileTest {
    @TempDir
    Path dir;

    @Test
    void rowsAfter_readsTheAskedColumns_textAsText_typedWithTheirType() throws Exception {
        Path file = dir.resolve("index.sqlite");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE agent_events (event_id TEXT, session_id TEXT, timestamp, status, "
                      + "execution_duration_seconds, context TEXT, unread TEXT)");
            s.execute("INSERT INTO agent_events VALUES ('e1', 's1', 1767890454000, 0.0, 1.5, ' é ✓ ', 'x'),"
                      + " ('e2', 's1', '2026-01-08 16:40:54', 'recorded', 'askew', '', NULL)");
        }
        try (HtmlgraphFile htmlgraph = HtmlgraphFile.open(file)) {
            HtmlgraphFile.Read<SourceRow> read = htmlgraph.rowsAfter("agent_events",
                    Set.of("session_id", "timestamp", "status", "execution_duration_seconds", "context", "model"),
                    Set.of("timestamp", "execution_duration_seconds"), 0, 10, Function.identity());
            List<SourceRow> rows = read.rows();
            assertThat(rows.size(), is(2));
            assertThat(read.lastRowid(), is(rows.get(1).rowid()));
            assertThat(read.lastKey(), is("e2"));
            SourceRow first = rows.get(0);
            assertThat(first.value("timestamp"), is(1767890454000L));
            assertThat(first.value("execution_duration_seconds"), is(1.5));
            assertThat(first.text("status"), is("0.0"));
            assertThat(first.value("context"), is(" é ✓ "));
            assertThat(first.text("context"), is("é ✓"));
            assertThat(first.text("event_id"), is("e1")); // the key column is always read
            assertThat(first.value("model"), is(nullValue())); // asked for, but the file has no such column
            assertThrows(IllegalArgumentException.class, () -> first.value("unread"));
            SourceRow second = rows.get(1);
            assertThat(second.value("timestamp"), is("2026-01-08 16:40:54"));
            assertThat(second.value("execution_duration_seconds"), is("askew"));
            assertThat(second.text("context"), is(nullValue()));
            HtmlgraphFile.Read<SourceRow> none = htmlgraph.rowsAfter("agent_events", Set.of("status"), Set.of(),
                                                                      second.rowid(), 10, Function.identity());
            assertThat(none.rows().size(), is(0));
            assertThat(none.lastRowid(), is(second.rowid()));
            assertThat(htmlgraph.keyAt("agent_events", second.rowid()), is("e2"));
        }
    }

    @Test
    void rowWithKey_findsARowByItsKey_andKeyIndexedSaysWhetherAnIndexDoes() throws Exception {
        Path indexed = dir.resolve("indexed.sqlite");
        Path plain = dir.resolve("plain.sqlite");
        for (Path file : List.of(indexed, plain)) {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                 Statement s = c.createStatement()) {
                s.execute("CREATE TABLE agent_events (event_id TEXT" + (file == indexed ? " PRIMARY KEY" : "")
                          + ", session_id TEXT, timestamp, created_at)");
                s.execute("INSERT INTO agent_events VALUES ('e1', 's1', 1767890454000, NULL),"
                          + " ('e2', 's1', NULL, '2026-01-08 16:40:54')");
            }
        }
        try (HtmlgraphFile htmlgraph = HtmlgraphFile.open(indexed)) {
            assertThat(htmlgraph.keyIndexed("agent_events"), is(true));
            assertThat(htmlgraph.keyIndexed("sessions"), is(false)); // absent
            SourceRow e2 = htmlgraph.rowWithKey("agent_events", "e2", List.of("timestamp", "created_at", "model"));
            assertThat(e2.value("created_at"), is("2026-01-08 16:40:54"));
            assertThat(e2.value("model"), is(nullValue()));
            assertThat(htmlgraph.rowWithKey("agent_events", "e1", List.of("timestamp")).value("timestamp"),
                       is(1767890454000L));
            assertThat(htmlgraph.rowWithKey("agent_events", "e3", List.of("timestamp")), is(nullValue()));
        }
        try (HtmlgraphFile htmlgraph = HtmlgraphFile.open(plain)) {
            assertThat(htmlgraph.keyIndexed("agent_events"), is(false));
        }
    }
}
