package io.htmlgraph.sidecar.correlate;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.htmlgraph.sidecar.SummaryRecounts;
import io.htmlgraph.sidecar.TestClock;
import io.htmlgraph.sidecar.domain.CallPairs;
import io.htmlgraph.sidecar.domain.ToolResult;
import io.htmlgraph.sidecar.ingest.Ingestor;
import io.htmlgraph.sidecar.store.Database;
import io.htmlgraph.sidecar.web.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.htmlgraph.sidecar.Hooks.agentInput;
import static io.htmlgraph.sidecar.Hooks.agentResponse;
import static io.htmlgraph.sidecar.Hooks.bash;
import static io.htmlgraph.sidecar.Hooks.failure;
import static io.htmlgraph.sidecar.Hooks.file;
import static io.htmlgraph.sidecar.Hooks.inSubagent;
import static io.htmlgraph.sidecar.Hooks.notification;
import static io.htmlgraph.sidecar.Hooks.post;
import static io.htmlgraph.sidecar.Hooks.pre;
import static io.htmlgraph.sidecar.Hooks.prompt;
import static io.htmlgraph.sidecar.Hooks.sessionStart;
import static io.htmlgraph.sidecar.Hooks.stop;
import static io.htmlgraph.sidecar.Hooks.subagentStart;
import static io.htmlgraph.sidecar.Hooks.subagentStop;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * A tool call whose PreToolUse and PostToolUse come in one request, next to each other or with other calls between,
 * is written as one finished row (Correlator#storeFinishedCall): the store must then hold exactly what the hooks sent
 * one by one leave — every column of every row, the session, its agents and every summary table. The same hooks go
 * to one session one request each and to another in one batch, at the same instant, through the real normaliser and
 * writer.
 */
class BatchedCallsTest {
    private static final Instant AT = Instant.parse("2026-11-30T10:00:00Z");
    /**
     * Every column but the row's own id, change number and parent (ids differ between the sessions), and whether
     * it has a payload hash (a hash of the session's own payload).
     */
    private static final String ROWS = """
            SELECT e.agent_id, e.agent_type, e.agent_key, e.source, e.hook_event_name, e.event_type, e.tool_name,
                   e.tool_use_id, e.prompt_id, p.tool_name AS parent_tool, e.subagent_type, e.status, e.model,
                   e.input_summary, e.output_summary, e.timestamp, e.ended_at, e.execution_duration_seconds,
                   e.payload, e.payload_hash IS NOT NULL AS hashed, e.finished_by, e.created_at, e.updated_at,
                   e.feature_id
            FROM agent_events e LEFT JOIN agent_events p ON p.event_id = e.parent_event_id
            WHERE e.session_id = '%s' ORDER BY e.rowid""";

    /** The session's own row, its agents and its summary, as the same hooks leave them. */
    private static final List<String> SESSION = List.of("""
            SELECT status, model, cwd, transcript_path, permission_mode, started_at, last_event_at, total_events,
                   current_turn_id IS NOT NULL FROM sessions WHERE session_id = '%s'""", """
            SELECT agent_key, agent_id, agent_type, status, started_at, ended_at, last_event_at, waiting_since,
                   waiting_reason, waiting_message FROM session_agents WHERE session_id = '%s' ORDER BY 1""", """
            SELECT events, turns, tool_calls, errors FROM session_summary WHERE session_id = '%s'""");

    private final TestClock clock = new TestClock(AT);
    private Path file;
    private Database database;
    private EventWriter writer;
    private Ingestor ingestor;

    @BeforeEach
    void open(@TempDir Path dir) {
        file = dir.resolve("batched.db");
        database = Database.open(file);
        writer = new EventWriter(database, clock);
        ingestor = new Ingestor(Json.mapper(), 65_536, false, writer, clock);
    }

    @AfterEach
    void close() {
        writer.close();
        database.close();
    }

    @Test
    void callsStartedAndFinishedInOneBatch_storeWhatTheirHooksOneByOneStore() throws Exception {
        for (String s : List.of("one-by-one", "batched")) {
            // telemetry's result of one call came before its hooks; another call's PreToolUse came alone before
            writer.write(List.of(new ToolResult(s, s + "-early", false, 250L, "denied", AT)));
            ingestor.hooks(pre(s, "Grep", s + "-stored", bash("grep -r x")).toString()
                                   .getBytes(StandardCharsets.UTF_8), null);
        }
        Function<String, List<String>> hooks = s -> {
            ObjectNode noDuration = post(s, "Edit", s + "-2", file("/app/A.java"), 0, "");
            noDuration.remove("duration_ms");
            noDuration.remove("tool_response");
            ObjectNode delegation = pre(s, "Agent", s + "-agent", agentInput("Explore", "Find the parser"));
            return List.of(sessionStart(s, "claude-sonnet-4-5"), prompt(s, "Fix the parser"),
                    pre(s, "Read", s + "-1", file("/app/A.java")).toString(),
                    post(s, "Read", s + "-1", file("/app/A.java"), 12, "class A {}").toString(),
                    pre(s, "Edit", s + "-2", file("/app/A.java")).toString(), noDuration.toString(),
                    pre(s, "Bash", s + "-3", bash("mvn test")).toString(),
                    failure(s, "Bash", s + "-3", bash("mvn test"), "Exit code 1").toString(),
                    pre(s, "Bash", s + "-early", bash("rm -rf /")).toString(),
                    post(s, "Bash", s + "-early", bash("rm -rf /"), 40, "").toString(),
                    pre(s, "Read", s + "-p1", file("/app/B.java")).toString(), // parallel calls
                    pre(s, "Read", s + "-p2", file("/app/C.java")).toString(),
                    post(s, "Read", s + "-p2", file("/app/C.java"), 4, "class C {}").toString(),
                    post(s, "Read", s + "-p1", file("/app/B.java"), 6, "class B {}").toString(),
                    pre(s, "Bash", s + "-asked", bash("git push")).toString(), // the agent waits for a person
                    notification(s, "permission_prompt", "Claude needs your permission to use Bash"),
                    post(s, "Bash", s + "-asked", bash("git push"), 900, "pushed").toString(),
                    pre(s, "Grep", s + "-stored", bash("grep -r x")).toString(),
                    post(s, "Grep", s + "-stored", bash("grep -r x"), 7, "x").toString(),
                    pre(s, "Read", s + "-1", file("/app/A.java")).toString(), // a redelivered pair
                    post(s, "Read", s + "-1", file("/app/A.java"), 12, "class A {}").toString(),
                    delegation.toString(), subagentStart(s, "sub-1", "Explore"),
                    inSubagent(pre(s, "Glob", s + "-4", file("**/*.java")), "sub-1", "Explore"),
                    inSubagent(post(s, "Glob", s + "-4", file("**/*.java"), 3, "A.java"), "sub-1", "Explore"),
                    subagentStop(s, "sub-1", "Explore", "Parser is A.java"),
                    post(s, "Agent", s + "-agent", agentInput("Explore", "Find the parser"), 900, "")
                            .set("tool_response", agentResponse("completed", "Parser is A.java")).toString(),
                    stop(s, "Fixed."));
        };
        for (String hook : hooks.apply("one-by-one")) {
            ingestor.hooks(hook.getBytes(StandardCharsets.UTF_8), null);
        }
        ingestor.hooks(("[" + String.join(",", hooks.apply("batched")) + "]").getBytes(StandardCharsets.UTF_8), null);

        List<String> oneByOne = query(ROWS.formatted("one-by-one"));
        assertThat("the Grep call stored before, start, prompt, eight calls, a notification, the delegation, the"
                   + " subagent's start and stop, Stop", oneByOne.size(), is(16));
        assertThat(query(ROWS.formatted("batched")).stream().map(row -> row.replace("batched", "one-by-one")).toList(),
                   is(oneByOne));
        for (String sql : SESSION) {
            assertThat(query(sql.formatted("batched")).stream().map(row -> row.replace("batched", "one-by-one"))
                               .toList(), is(query(sql.formatted("one-by-one"))));
        }
        assertThat(SummaryRecounts.mismatches(sql -> {
            try {
                return query(sql);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }), is(List.of()));
    }

    @Test
    void eachCallOfABatch_isWrittenOnce() throws Exception {
        for (String s : List.of("one-by-one", "batched")) {
            List<String> hooks = List.of(prompt(s, "Read three files"),
                    pre(s, "Read", s + "-1", file("/app/1")).toString(),
                    post(s, "Read", s + "-1", file("/app/1"), 5, "text 1").toString(),
                    pre(s, "Read", s + "-2", file("/app/2")).toString(), // two in parallel, the second ending first
                    pre(s, "Read", s + "-3", file("/app/3")).toString(),
                    post(s, "Read", s + "-3", file("/app/3"), 5, "text 3").toString(),
                    post(s, "Read", s + "-2", file("/app/2"), 5, "text 2").toString());
            if (s.equals("batched")) {
                ingestor.hooks(("[" + String.join(",", hooks) + "]").getBytes(StandardCharsets.UTF_8), null);
            } else {
                hooks.forEach(hook -> ingestor.hooks(hook.getBytes(StandardCharsets.UTF_8), null));
            }
        }
        assertThat("change numbers after the prompt's: an insert and an update per call one by one, one insert each"
                   + " in the batch", query("SELECT session_id, max(seq) - min(seq) FROM agent_events GROUP BY 1"
                                            + " ORDER BY 1"), is(List.of("[batched, 3]", "[one-by-one, 6]")));
        assertThat(query("SELECT count(*) FROM agent_events WHERE status = 'success' GROUP BY session_id"),
                   is(List.of("[3]", "[3]")));
    }

    @Test
    void aStartWhoseEndIsNotInTheBatch_isStoredWithItsPayload() throws Exception {
        Function<String, List<String>> hooks = s -> {
            List<String> all = new ArrayList<>(List.of(prompt(s, "Read many files"),
                    pre(s, "Bash", s + "-long", bash("mvn verify")).toString()));
            for (int i = 0; i < CallPairs.WINDOW; i++) { // its end would have to come within these
                all.add(pre(s, "Read", s + "-r" + i, file("/app/" + i)).toString());
                all.add(post(s, "Read", s + "-r" + i, file("/app/" + i), 1, "text " + i).toString());
            }
            all.add(pre(s, "Bash", s + "-last", bash("git status")).toString()); // the body's last event
            return all;
        };
        for (String hook : hooks.apply("one-by-one")) {
            ingestor.hooks(hook.getBytes(StandardCharsets.UTF_8), null);
        }
        ingestor.hooks(("[" + String.join(",", hooks.apply("batched")) + "]").getBytes(StandardCharsets.UTF_8), null);

        assertThat(query("SELECT tool_use_id, json_extract(payload, '$.tool_input.command') FROM agent_events"
                         + " WHERE session_id = 'batched' AND status = 'started' AND tool_name = 'Bash' ORDER BY 1"),
                   is(List.of("[batched-last, git status]", "[batched-long, mvn verify]")));
        assertThat(query("SELECT count(*) FROM agent_events WHERE payload IS NULL"), is(List.of("[0]")));
        List<String> oneByOne = query(ROWS.formatted("one-by-one"));
        assertThat("the prompt and 66 calls", oneByOne.size(), is(67));
        assertThat(query(ROWS.formatted("batched")).stream().map(row -> row.replace("batched", "one-by-one")).toList(),
                   is(oneByOne));
    }

    private List<String> query(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            List<String> rows = new ArrayList<>();
            while (r.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                    row.add(r.getObject(i));
                }
                rows.add(row.toString());
            }
            return rows;
        }
    }
}
