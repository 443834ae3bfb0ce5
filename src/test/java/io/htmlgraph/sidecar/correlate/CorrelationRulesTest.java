package io.htmlgraph.sidecar.correlate;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.htmlgraph.sidecar.TestClock;
import io.htmlgraph.sidecar.domain.Delegation;
import io.htmlgraph.sidecar.domain.EventView;
import io.htmlgraph.sidecar.domain.SessionView;
import io.htmlgraph.sidecar.ingest.Ingestor;
import io.htmlgraph.sidecar.store.Database;
import io.htmlgraph.sidecar.query.EventQueries;
import io.htmlgraph.sidecar.query.ReportQueries;
import io.htmlgraph.sidecar.web.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.htmlgraph.sidecar.Hooks.agentInput;
import static io.htmlgraph.sidecar.Hooks.agentResponse;
import static io.htmlgraph.sidecar.Hooks.base;
import static io.htmlgraph.sidecar.Hooks.bash;
import static io.htmlgraph.sidecar.Hooks.failure;
import static io.htmlgraph.sidecar.Hooks.file;
import static io.htmlgraph.sidecar.Hooks.inSubagent;
import static io.htmlgraph.sidecar.Hooks.notification;
import static io.htmlgraph.sidecar.Hooks.post;
import static io.htmlgraph.sidecar.Hooks.pre;
import static io.htmlgraph.sidecar.Hooks.prompt;
import static io.htmlgraph.sidecar.Hooks.sessionEnd;
import static io.htmlgraph.sidecar.Hooks.sessionStart;
import static io.htmlgraph.sidecar.Hooks.stop;
import static io.htmlgraph.sidecar.Hooks.subagentStart;
import static io.htmlgraph.sidecar.Hooks.subagentStop;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/**
 * What a sequence of hooks means, checked on the store itself (no HTTP): calls paired by {@code tool_use_id} (or by
 * order without one), turns opened by a prompt and closed by Stop, delegations owning their subagent's work, agents
 * waiting for a human, and redelivered hooks changing nothing. Hooks go through the real normaliser and writer into
 * a SQLite file; the answers come from the read queries the API uses. The clock is the test's: each hook arrives
 * 10 ms after the previous one, so times and durations are exact.
 */
class CorrelationRulesTest {
    private static final Duration HOOK_GAP = Duration.ofMillis(10);
    private static final TestClock CLOCK = new TestClock(Instant.parse("2026-11-30T10:00:00Z"));

    private static Database database;
    private static EventWriter writer;
    private static Ingestor ingestor;
    private static EventQueries events;
    private static ReportQueries reports;

    @BeforeAll
    static void open(@TempDir Path dir) {
        database = Database.open(dir.resolve("rules.db"));
        writer = new EventWriter(database, CLOCK);
        ingestor = new Ingestor(Json.mapper(), 65_536, false, writer, CLOCK);
        events = new EventQueries(database, CLOCK, Duration.ofMinutes(10));
        reports = new ReportQueries(database, CLOCK, Duration.ofMinutes(10));
    }

    @AfterAll
    static void close() {
        writer.close();
        database.close();
    }

    @Test
    void preAndPost_pairByToolUseId_intoOneFinishedRowPerCall_underTheTurn_aFailureAsError() {
        String s = "s-pairs";
        hooks(sessionStart(s, "claude-sonnet-4-5"), prompt(s, "Fix the failing test"),
              pre(s, "Read", "tu-1", file("/app/Parser.java")).toString(),
              post(s, "Read", "tu-1", file("/app/Parser.java"), 12, "class Parser {}").toString(),
              pre(s, "Edit", "tu-2", file("/app/Parser.java")).toString(),
              post(s, "Edit", "tu-2", file("/app/Parser.java"), 30, "").toString(),
              pre(s, "Bash", "tu-3", bash("mvn test")).toString(),
              failure(s, "Bash", "tu-3", bash("mvn test"), "Exit code 1\nTests run: 3, Failures: 1").toString());
        String turn = event(s, "UserQuery").eventId();

        assertThat(calls(s), contains("tu-1 Read success 0.012 " + turn, "tu-2 Edit success 0.03 " + turn,
                                      "tu-3 Bash error 1.2 " + turn));
        EventView bashCall = event(s, "Bash");
        assertThat(bashCall.outputSummary(), is("Exit code 1\nTests run: 3, Failures: 1"));
        assertThat(bashCall.inputSummary(), is("Bash: mvn test"));
        assertThat(bashCall.eventType(), is("tool_call"));
        assertThat(bashCall.model(), is("claude-sonnet-4-5"));
        assertThat(bashCall.agentId(), is("claude-code"));
    }

    @Test
    void aPrompt_opensATurn_thatStopCompletesWithItsText_lastingFromPromptToStop() {
        String s = "s-turn";
        hooks(prompt(s, "Fix the failing test"), pre(s, "Bash", "tu-t", bash("mvn test")).toString(),
              post(s, "Bash", "tu-t", bash("mvn test"), 5, "ok").toString(), stop(s, "The test still fails."));

        EventView turn = event(s, "UserQuery");
        assertThat(turn.status(), is("completed"));
        assertThat(turn.inputSummary(), is("Fix the failing test"));
        assertThat(turn.outputSummary(), is("The test still fails."));
        assertThat(turn.executionDurationSeconds(), is(0.03)); // three hooks after the prompt, 10 ms apart
        assertThat(event(s, "Stop").parentEventId(), is(turn.eventId()));
        assertThat(event(s, "Bash").parentEventId(), is(turn.eventId()));
    }

    @Test
    void parallelCalls_completingOutOfOrder_pairByToolUseId() {
        String s = "s-parallel";
        hooks(prompt(s, "Read three files"),
              pre(s, "Read", "p-a", file("/a")).toString(), pre(s, "Read", "p-b", file("/b")).toString(),
              pre(s, "Read", "p-c", file("/c")).toString(),
              post(s, "Read", "p-c", file("/c"), 300, "c").toString(),
              post(s, "Read", "p-a", file("/a"), 100, "a").toString(),
              post(s, "Read", "p-b", file("/b"), 200, "b").toString());

        assertThat(all(s).stream().filter(e -> "Read".equals(e.toolName()))
                        .map(e -> e.toolUseId() + " " + e.inputSummary() + " " + e.outputSummary() + " "
                                  + e.status() + " " + e.executionDurationSeconds()).sorted().toList(),
                   contains("p-a Read: /a a success 0.1", "p-b Read: /b b success 0.2",
                            "p-c Read: /c c success 0.3"));
    }

    @Test
    void callsWithoutToolUseId_pairInOrder_andARedeliveryClosesNoOtherCall() {
        String s = "s-noid";
        var first = pre(s, "Read", "x", file("/one"));
        first.remove("tool_use_id");
        var second = pre(s, "Read", "x", file("/two"));
        second.remove("tool_use_id");
        var done = post(s, "Read", "x", file("/one"), 10, "one");
        done.remove("tool_use_id");
        hooks(first.toString(), first.toString(), second.toString(), done.toString(), done.toString());

        assertThat(all(s).stream().map(e -> e.inputSummary() + " " + e.status()).toList(),
                   contains("Read: /one success", "Read: /two started"));
    }

    @Test
    void aPostWithoutItsPre_isStoredAsAFinishedCall() {
        hooks(post("s-nopre", "Read", "tu-np", file("/x"), 250, "x").toString());
        EventView call = event("s-nopre", "Read");
        assertThat(call.status() + " " + call.executionDurationSeconds(), is("success 0.25"));
    }

    @Test
    void aDelegation_ownsItsSubagentsWork_andCompletesWithTheAgentsAnswer() {
        String s = "s-agent";
        var input = agentInput("Explore", "find the parser");
        var agentPost = post(s, "Agent", "tu-agent", input, 0, "");
        agentPost.set("tool_response", agentResponse("completed", "The parser is in src/Parser.java"));
        agentPost.remove("duration_ms");
        hooks(prompt(s, "Where is the parser?"), pre(s, "Agent", "tu-agent", input).toString(),
              subagentStart(s, "ag-1", "Explore"),
              inSubagent(pre(s, "Glob", "tu-g", file("/src")), "ag-1", "Explore"),
              inSubagent(post(s, "Glob", "tu-g", file("/src"), 15, "src/Parser.java"), "ag-1", "Explore"),
              subagentStop(s, "ag-1", "Explore", "The parser is in src/Parser.java"),
              agentPost.toString(), stop(s, "Found it."));

        EventView delegation = event(s, "Agent");
        String id = delegation.eventId();
        assertThat(delegation.eventType(), is("delegation"));
        assertThat(delegation.subagentType(), is("Explore"));
        assertThat(delegation.status(), is("success"));
        assertThat(delegation.inputSummary(), is("Agent (Explore): find the parser"));
        assertThat(delegation.outputSummary(), is("The parser is in src/Parser.java"));
        assertThat(delegation.executionDurationSeconds(), is(0.05)); // Pre to Post: five hooks later, 10 ms apart
        EventView glob = event(s, "Glob");
        assertThat(glob.parentEventId() + " " + glob.agentId() + " " + glob.status(), is(id + " Explore success"));
        assertThat(event(s, "SubagentStart").parentEventId(), is(id));
        assertThat(event(s, "SubagentStop").parentEventId(), is(id));
        List<Delegation> delegations = reports.delegations(s, 10);
        assertThat(delegations.stream().map(d -> d.eventId() + " " + d.fromAgent() + " " + d.toAgent() + " "
                                                 + d.status() + " " + d.task()).toList(),
                   contains(id + " claude-code Explore success Agent (Explore): find the parser"));
    }

    @Test
    void aBackgroundDelegation_runsUntilItsSubagentStops() {
        String s = "s-async";
        var input = agentInput("general-purpose", "run the slow suite");
        var launched = post(s, "Task", "tu-bg", input, 0, "");
        launched.set("tool_response", agentResponse("async_launched", "started"));
        hooks(prompt(s, "Run it in the background"), pre(s, "Task", "tu-bg", input).toString(),
              launched.toString(), subagentStart(s, "ag-bg", "general-purpose"));
        assertThat(event(s, "Task").status(), is("running"));
        assertThat(event(s, "Task").executionDurationSeconds(), is(nullValue()));

        hooks(subagentStop(s, "ag-bg", "general-purpose", "All green"));
        assertThat(event(s, "Task").status(), is("success"));
        assertThat(event(s, "Task").executionDurationSeconds(), is(0.03)); // Pre to SubagentStop: three hooks later
    }

    @Test
    void aPermissionPrompt_marksTheAgentWaiting_untilItsNextToolEvent() {
        String s = "s-wait";
        hooks(prompt(s, "Delete the build dir"), pre(s, "Bash", "tu-w", bash("rm -rf build")).toString(),
              notification(s, "permission_prompt", "Claude needs your permission to use Bash"));
        assertThat(waiting(s), contains("claude-code permission Claude needs your permission to use Bash"));

        hooks(post(s, "Bash", "tu-w", bash("rm -rf build"), 5, "").toString());
        assertThat(waiting(s), is(empty()));
    }

    @Test
    void redeliveredHooks_changeNothing() {
        String s = "s-redeliver";
        String post = post(s, "Bash", "tu-r", bash("ls"), 40, "README.md").toString();
        hooks(prompt(s, "List files"), prompt(s, "List files"), pre(s, "Bash", "tu-r", bash("ls")).toString(), post);
        List<String> before = all(s).stream().map(CorrelationRulesTest::shown).toList();

        hooks(post, pre(s, "Bash", "tu-r", bash("ls")).toString());
        assertThat(all(s).stream().map(CorrelationRulesTest::shown).toList(), is(before));
        assertThat(before.size(), is(2));
        assertThat(reports.session(s).orElseThrow().totalEvents(), is(2L));
    }

    @Test
    void stopFailure_endsTheTurnAsAnError_andPermissionDenied_endsItsCall() {
        String s = "s-fail";
        hooks(prompt(s, "Refactor everything"), pre(s, "Bash", "tu-d", bash("rm -rf /")).toString(),
              base(s, "PermissionDenied").put("tool_name", "Bash").put("tool_use_id", "tu-d")
                      .put("reason", "auto mode denied it").toString(),
              base(s, "StopFailure").put("error", "rate_limit").put("error_details", "429 Too Many Requests")
                      .toString());
        assertThat(event(s, "UserQuery").status() + " " + event(s, "UserQuery").outputSummary(),
                   is("error rate_limit: 429 Too Many Requests"));
        assertThat(event(s, "Bash").status() + " " + event(s, "Bash").outputSummary(),
                   is("error permission denied: auto mode denied it"));
    }

    @Test
    void aSessionThatEnds_isEnded_withItsReasonAndModel() {
        String s = "s-ends";
        hooks(sessionStart(s, "claude-opus-4-5"), prompt(s, "hi"), sessionEnd(s, "logout"));
        SessionView session = reports.session(s).orElseThrow();
        assertThat(session.status(), is("ended"));
        assertThat(session.endReason(), is("logout"));
        assertThat(session.model(), is("claude-opus-4-5"));
        assertThat(session.agent(), is("claude-code"));
        assertThat(session.totalEvents(), is(3L));
        assertThat(Instant.parse(session.endedAt()).minus(Duration.ofMillis(20)),
                   is(Instant.parse(session.startedAt())));
    }

    @Test
    void unknownHookNames_areStoredAsCheckpoints_neverRefused() {
        String s = "s-unknown";
        hooks(base(s, "FutureHookEvent").put("novel_field", 42).toString());
        ingestor.hooks("{\"session_id\":\"s-unknown\",\"trigger\":\"auto\"}".getBytes(StandardCharsets.UTF_8),
                       "PreCompact");
        assertThat(all(s).stream().map(e -> e.hookEventName() + " " + e.eventType()).toList(),
                   contains("FutureHookEvent check_point", "PreCompact check_point"));
    }

    @Test
    void aSessionStartedAsAnAgent_keepsTakingItsHooks_whenItsMainAgentIsKnownFromAnotherSession() {
        hooks(prompt("s-main-known", "Anything"));
        String s = "s-started-as-agent";
        hooks(base(s, "SessionStart").put("source", "startup").put("agent_type", "planner").toString(),
              prompt(s, "Plan the release"), pre(s, "Read", "tu-plan", file("/app/PLAN.md")).toString(),
              post(s, "Read", "tu-plan", file("/app/PLAN.md"), 5, "# Plan").toString(), stop(s, "Planned."));

        assertThat(event(s, "UserQuery").status(), is("completed"));
        assertThat(calls(s), contains("tu-plan Read success 0.005 " + event(s, "UserQuery").eventId()));
        assertThat(rows("SELECT agent_id, sessions, last_at FROM agent_presence ORDER BY 1"),
                   is(rows("SELECT agent_id, count(DISTINCT session_id), max(last_event_at) FROM session_agents"
                           + " GROUP BY 1 ORDER BY 1")));
    }

    /** Hands each hook to the ingestor alone, as Claude Code sends them, 10 ms apart. */
    private static void hooks(String... payloads) {
        for (String payload : payloads) {
            CLOCK.advance(HOOK_GAP);
            ingestor.hooks(payload.getBytes(StandardCharsets.UTF_8), null);
        }
    }

    /** A query's rows, each as its values in order. */
    private static List<List<Object>> rows(String sql) {
        return database.client().execute().query(sql).map(row -> {
            List<Object> values = new ArrayList<>();
            row.forEach(column -> values.add(column.get(Object.class)));
            return values;
        }).toList();
    }

    /** The session's events, oldest first. */
    private static List<EventView> all(String session) {
        return events.events(session, null, 1000, 0).reversed();
    }

    private static EventView event(String session, String toolName) {
        return all(session).stream().filter(e -> toolName.equals(e.toolName())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + toolName + " event in session " + session));
    }

    /** Tool calls as "id name status seconds parent", by tool use id. */
    private static List<String> calls(String session) {
        return all(session).stream().filter(e -> e.toolUseId() != null)
                .map(e -> e.toolUseId() + " " + e.toolName() + " " + e.status() + " " + e.executionDurationSeconds()
                          + " " + e.parentEventId()).sorted().toList();
    }

    private static List<String> waiting(String session) {
        return reports.attention().waiting().stream().filter(w -> session.equals(w.sessionId()))
                .map(w -> w.agentId() + " " + w.reason() + " " + w.message()).toList();
    }

    private static String shown(EventView e) {
        return e.eventId() + " " + e.toolName() + " " + e.status() + " " + e.sequence() + " " + e.outputSummary();
    }
}
