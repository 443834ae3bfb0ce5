package io.htmlgraph.sidecar.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.helidon.dbclient.DbColumn;
import io.helidon.dbclient.DbRow;
import io.htmlgraph.sidecar.Hooks;
import io.htmlgraph.sidecar.TestSidecar;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * {@link Reads} decodes TEXT columns itself (bytes, not sqlite-jdbc's {@code getObject}); its rows must hold
 * exactly what {@code getObject} gives — same Java types, same text, multi-byte UTF-8, NULLs, numbers put into a
 * TEXT column, and expression columns — or a read route would answer differently.
 */
class ReadsTest {
    private static final String HOSTILE = "naïve 日本語 \uD83D\uDE80 <b>\"quoted\"</b> \\ back\u00a0slash";

    @Test
    void rows_holdWhatGetObjectReads_forText_multiByte_nulls_numbers_andExpressions() {
        try (TestSidecar sidecar = TestSidecar.start()) {
            sidecar.hooks(Hooks.sessionStart("reads-1", "claude-opus-4"), Hooks.prompt("reads-1", HOSTILE),
                    Hooks.pre("reads-1", "Bash", "tu-1", Hooks.bash("echo " + HOSTILE)).toString(),
                    Hooks.stop("reads-1", HOSTILE));
            // a number given to a TEXT column is stored as text (TEXT affinity): still a string when read back
            sidecar.execute("UPDATE agent_events SET output_summary = 42, model = NULL WHERE tool_use_id = 'tu-1'");
            try (Database database = Database.open(sidecar.db())) {
                List<Map<String, Object>> expected = sidecar.rows(
                        "SELECT * FROM event_answers ORDER BY timestamp DESC, seq DESC LIMIT 50");
                List<Map<String, Object>> actual = values(new Params().with("limit", 50).with("offset", 0)
                        .query(database.reads(), "events-page"));
                assertThat(actual, is(expected));
                assertThat("an event answer does not read the stored payload", actual.getFirst().keySet(),
                           not(hasItem("payload")));
                assertThat(actual.stream().map(r -> r.get("input_summary")).toList(), hasItem(
                        containsString("日本語 \uD83D\uDE80")));
                assertThat(actual.stream().map(r -> r.get("output_summary")).toList(), hasItem("42"));

                Map<String, Object> totals = values(database.reads().namedQuery("stats-totals")).getFirst();
                assertThat(totals, is(sidecar.rows(Statements.all().statement("stats-totals")).getFirst()));
                Map<String, Object> count = values(new Params().with("status", null).with("idle_before", "")
                        .query(database.reads(), "sessions-count")).getFirst();
                assertThat(count.get("n"), is(1));
            }
        }
    }

    /**
     * Rows read in place ({@link Reads#list}) give what {@code getObject} gives: texts (multi-byte, a number in a TEXT
     * column), integers and reals told apart from NULL when they are zero, and null for a column the result lacks.
     */
    @Test
    void rowsReadInPlace_holdWhatGetObjectReads_zeroesAndNullsApart() {
        try (TestSidecar sidecar = TestSidecar.start()) {
            sidecar.hooks(Hooks.sessionStart("reads-2", "claude-opus-4"), Hooks.prompt("reads-2", HOSTILE),
                    Hooks.pre("reads-2", "Bash", "tu-1", Hooks.bash("echo " + HOSTILE)).toString(),
                    Hooks.pre("reads-2", "Read", "tu-2", Hooks.bash("x")).toString(), Hooks.stop("reads-2", HOSTILE));
            sidecar.execute("UPDATE agent_events SET output_summary = 42, input_tokens = 0, output_tokens = -7,"
                    + " total_tokens = 9007199254740993, cost_usd = 0.0, execution_duration_seconds = 0.1 + 0.2,"
                    + " model = NULL WHERE tool_use_id = 'tu-1'");
            sidecar.execute("UPDATE agent_events SET cost_usd = -0.25, execution_duration_seconds = 3"
                    + " WHERE tool_use_id = 'tu-2'");
            List<String> texts = List.of("event_id", "input_summary", "output_summary", "model", "status");
            List<String> wholes = List.of("seq", "input_tokens", "output_tokens", "total_tokens", "api_errors");
            List<String> reals = List.of("cost_usd", "execution_duration_seconds");
            List<Map<String, Object>> expected = new ArrayList<>();
            for (Map<String, Object> row : sidecar.rows(
                    "SELECT * FROM agent_events ORDER BY timestamp DESC, seq DESC LIMIT 50")) {
                Map<String, Object> values = new LinkedHashMap<>();
                texts.forEach(c -> values.put(c, row.get(c) == null ? null : row.get(c).toString()));
                wholes.forEach(c -> values.put(c, row.get(c) == null ? null : ((Number) row.get(c)).longValue()));
                reals.forEach(c -> values.put(c, row.get(c) == null ? null : ((Number) row.get(c)).doubleValue()));
                values.put("no_such_column", null);
                expected.add(values);
            }
            try (Database database = Database.open(sidecar.db())) {
                Params params = new Params().with("limit", 50).with("offset", 0);
                List<Map<String, Object>> actual = params.list(database.reads(), "events-page", r -> {
                    Map<String, Object> values = new LinkedHashMap<>();
                    for (String c : texts) {
                        values.put(c, r.text(r.columns(c)[0]));
                    }
                    for (String c : wholes) {
                        values.put(c, r.whole(r.columns(c)[0]));
                    }
                    for (String c : reals) {
                        values.put(c, r.real(r.columns(c)[0]));
                    }
                    values.put("no_such_column", r.text(r.columns("no_such_column")[0]));
                    return values;
                });
                assertThat(actual, is(expected));
                assertThat(actual.stream().map(r -> r.get("input_tokens")).toList(), hasItem(0L));
                assertThat(actual.stream().map(r -> r.get("cost_usd")).toList(), hasItem(0.0));
                assertThat(actual.stream().map(r -> r.get("output_summary")).toList(), hasItem("42"));
                assertThat(actual.stream().map(r -> r.get("input_summary")).toList(), hasItem(HOSTILE));
                Params noOffset = Params.of("limit", 50);
                IllegalArgumentException missing = org.junit.jupiter.api.Assertions.assertThrows(
                        IllegalArgumentException.class, () -> noOffset.list(database.reads(), "events-page", r -> 1));
                assertThat(missing.getMessage(), containsString(":offset"));
            }
        }
    }

    /**
     * {@link Reads.Current#repeated} reads what {@link Reads.Current#text} reads (multi-byte text, NULL, values that
     * share a slot or a prefix), and gives one string for a value that rows repeat.
     */
    @Test
    void repeatedTexts_readAsText_oneStringPerRepeatedValue() {
        try (TestSidecar sidecar = TestSidecar.start()) {
            sidecar.hooks(Hooks.sessionStart("reads-3", "claude-opus-4"), Hooks.prompt("reads-3", HOSTILE),
                    Hooks.pre("reads-3", "Bash", "tu-1", Hooks.bash("a")).toString(),
                    Hooks.pre("reads-3", "Bas", "tu-2", Hooks.bash("b")).toString(),
                    Hooks.pre("reads-3", "Bash", "tu-3", Hooks.bash("c")).toString(), Hooks.stop("reads-3", HOSTILE));
            sidecar.execute("UPDATE agent_events SET model = 'naïve' WHERE tool_use_id IN ('tu-1', 'tu-3')");
            sidecar.execute("UPDATE agent_events SET model = 'naive' WHERE tool_use_id = 'tu-2'");
            List<String> columns = List.of("session_id", "tool_name", "model", "status", "input_summary",
                                           "output_summary", "event_id");
            try (Database database = Database.open(sidecar.db())) {
                List<List<String[]>> rows = new Params().with("limit", 50).with("offset", 0)
                        .list(database.reads(), "events-page", r -> {
                            List<String[]> pairs = new ArrayList<>();
                            for (String c : columns) {
                                int at = r.columns(c)[0];
                                pairs.add(new String[] {r.text(at), r.repeated(at)});
                            }
                            return pairs;
                        });
                assertThat(rows.size(), is(6));
                for (List<String[]> row : rows) {
                    for (String[] pair : row) {
                        assertThat(pair[1], is(pair[0]));
                    }
                }
                assertThat(rows.stream().map(row -> row.get(2)[1]).toList(), hasItem("naïve"));
                // alone in its table (other columns' values may take a slot of it), the session is read once
                List<String> sessions = new Params().with("limit", 50).with("offset", 0)
                        .list(database.reads(), "events-page", r -> r.repeated(r.columns("session_id")[0]));
                assertThat("one string for the session of every row",
                           sessions.stream().filter(id -> id == sessions.getFirst()).count(), is(6L));
            }
        }
    }

    static List<Map<String, Object>> values(Stream<DbRow> rows) {
        try (rows) {
            List<Map<String, Object>> out = new ArrayList<>();
            rows.forEach(row -> {
                Map<String, Object> values = new LinkedHashMap<>();
                row.forEach((DbColumn column) -> values.put(column.name(), column.get(Object.class)));
                out.add(values);
            });
            return out;
        }
    }
}
