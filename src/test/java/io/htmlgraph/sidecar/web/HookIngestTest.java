package io.htmlgraph.sidecar.web;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.htmlgraph.sidecar.SharedSidecarTest;
import io.htmlgraph.sidecar.TestSidecar;
import org.junit.jupiter.api.Test;

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
import static io.htmlgraph.sidecar.Hooks.sessionEnd;
import static io.htmlgraph.sidecar.Hooks.sessionStart;
import static io.htmlgraph.sidecar.Hooks.stop;
import static io.htmlgraph.sidecar.Hooks.subagentStart;
import static io.htmlgraph.sidecar.Hooks.subagentStop;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

/** Realistic hook sequences replayed against a real sidecar; the stored rows and the API output are checked. */
class HookIngestTest extends SharedSidecarTest {
    @Test
    void promptWithToolCalls_storesOneRowPerCall_underTheTurn_withTheFailingBashAsError() throws Exception {
        String s = "s-prompt";
        sidecar.hooks(sessionStart(s, "claude-sonnet-4-5"), prompt(s, "Fix the failing test"),
                pre(s, "Read", "tu-1", file("/app/Parser.java")).toString(),
                post(s, "Read", "tu-1", file("/app/Parser.java"), 12, "class Parser {}").toString(),
                pre(s, "Edit", "tu-2", file("/app/Parser.java")).toString(),
                post(s, "Edit", "tu-2", file("/app/Parser.java"), 30, "").toString(),
                pre(s, "Bash", "tu-3", bash("mvn test")).toString(),
                failure(s, "Bash", "tu-3", bash("mvn test"), "Exit code 1\nTests run: 3, Failures: 1").toString());
        Thread.sleep(20);
        sidecar.hooks(stop(s, "The test still fails."));

        List<Map<String, Object>> calls = sidecar.rows("SELECT tool_use_id, tool_name, status, "
                + "execution_duration_seconds AS d, parent_event_id AS p FROM agent_events "
                + "WHERE session_id = 's-prompt' AND tool_use_id IS NOT NULL ORDER BY tool_use_id");
        String turn = (String) sidecar.value("SELECT event_id FROM agent_events WHERE session_id = 's-prompt'"
                                              + " AND tool_name = 'UserQuery'");
        assertThat(calls, contains(
                Map.of("tool_use_id", "tu-1", "tool_name", "Read", "status", "success", "d", 0.012, "p", turn),
                Map.of("tool_use_id", "tu-2", "tool_name", "Edit", "status", "success", "d", 0.03, "p", turn),
                Map.of("tool_use_id", "tu-3", "tool_name", "Bash", "status", "error", "d", 1.2, "p", turn)));

        JsonNode bashCall = event(s, "Bash");
        assertThat(bashCall.get("output_summary").asText(), is("Exit code 1\nTests run: 3, Failures: 1"));
        assertThat(bashCall.get("input_summary").asText(), is("Bash: mvn test"));
        assertThat(bashCall.get("event_type").asText(), is("tool_call"));
        assertThat(bashCall.get("model").asText(), is("claude-sonnet-4-5"));
        assertThat(bashCall.get("agent_id").asText(), is("claude-code"));
        assertThat(bashCall.get("parent_event_id").asText(), is(turn));

        JsonNode userQuery = event(s, "UserQuery");
        assertThat(userQuery.get("status").asText(), is("completed"));
        assertThat(userQuery.get("input_summary").asText(), is("Fix the failing test"));
        assertThat(userQuery.get("output_summary").asText(), is("The test still fails."));
        double turnSeconds = (Double) sidecar.value("SELECT (julianday(ended_at) - julianday(timestamp)) * 86400"
                + " FROM agent_events WHERE event_id = '" + turn + "'");
        assertThat(userQuery.get("execution_duration_seconds").asDouble(), closeTo(turnSeconds, 0.002));
        assertThat(userQuery.get("execution_duration_seconds").asDouble(), greaterThan(0.0));
        assertThat(event(s, "Stop").get("parent_event_id").asText(), is(turn));
    }

    @Test
    void parallelToolCalls_completingOutOfOrder_pairByToolUseId() {
        String s = "s-parallel";
        sidecar.hooks(prompt(s, "Read three files"),
                pre(s, "Read", "p-a", file("/a")).toString(), pre(s, "Read", "p-b", file("/b")).toString(),
                pre(s, "Read", "p-c", file("/c")).toString(),
                post(s, "Read", "p-c", file("/c"), 300, "c").toString(),
                post(s, "Read", "p-a", file("/a"), 100, "a").toString(),
                post(s, "Read", "p-b", file("/b"), 200, "b").toString());

        assertThat(sidecar.rows("SELECT tool_use_id, input_summary, output_summary, status,"
                        + " execution_duration_seconds AS d FROM agent_events"
                        + " WHERE session_id = 's-parallel' AND tool_name = 'Read' ORDER BY tool_use_id"),
                contains(Map.of("tool_use_id", "p-a", "input_summary", "Read: /a", "output_summary", "a",
                                "status", "success", "d", 0.1),
                         Map.of("tool_use_id", "p-b", "input_summary", "Read: /b", "output_summary", "b",
                                "status", "success", "d", 0.2),
                         Map.of("tool_use_id", "p-c", "input_summary", "Read: /c", "output_summary", "c",
                                "status", "success", "d", 0.3)));
    }

    @Test
    void agentDelegation_hangsTheSubagentsWorkUnderIt_andCompletesWithIt() {
        String s = "s-agent";
        var input = agentInput("Explore", "find the parser");
        var agentPost = post(s, "Agent", "tu-agent", input, 0, "");
        agentPost.set("tool_response", agentResponse("completed", "The parser is in src/Parser.java"));
        agentPost.remove("duration_ms");
        sidecar.hooks(prompt(s, "Where is the parser?"),
                pre(s, "Agent", "tu-agent", input).toString(),
                subagentStart(s, "ag-1", "Explore"),
                inSubagent(pre(s, "Glob", "tu-g", file("/src")), "ag-1", "Explore"),
                inSubagent(post(s, "Glob", "tu-g", file("/src"), 15, "src/Parser.java"), "ag-1", "Explore"),
                subagentStop(s, "ag-1", "Explore", "The parser is in src/Parser.java"),
                agentPost.toString(), stop(s, "Found it."));

        JsonNode delegation = event(s, "Agent");
        String delegationId = delegation.get("event_id").asText();
        assertThat(delegation.get("event_type").asText(), is("delegation"));
        assertThat(delegation.get("subagent_type").asText(), is("Explore"));
        assertThat(delegation.get("status").asText(), is("success"));
        assertThat(delegation.get("input_summary").asText(), is("Agent (Explore): find the parser"));
        assertThat(delegation.get("output_summary").asText(), is("The parser is in src/Parser.java"));
        assertThat(delegation.get("execution_duration_seconds").isNumber(), is(true));

        JsonNode glob = event(s, "Glob");
        assertThat(glob.get("parent_event_id").asText(), is(delegationId));
        assertThat(glob.get("agent_id").asText(), is("Explore"));
        assertThat(glob.get("status").asText(), is("success"));
        assertThat(event(s, "SubagentStart").get("parent_event_id").asText(), is(delegationId));
        assertThat(event(s, "SubagentStop").get("parent_event_id").asText(), is(delegationId));

        assertThat(sidecar.rows("SELECT from_agent, to_agent, status, reason FROM agent_collaboration"
                                + " WHERE session_id = 's-agent'"),
                contains(Map.of("from_agent", "claude-code", "to_agent", "Explore", "status", "completed",
                                "reason", "Agent (Explore): find the parser")));
        assertThat(sidecar.rows("SELECT agent_id, delegation_event_id, status FROM session_agents"
                                + " WHERE session_id = 's-agent' AND agent_key = 'ag-1'"),
                contains(Map.of("agent_id", "Explore", "delegation_event_id", delegationId, "status", "stopped")));
    }

    @Test
    void backgroundDelegation_runsUntilItsSubagentStops() {
        String s = "s-async";
        var input = agentInput("general-purpose", "run the slow suite");
        var launched = post(s, "Task", "tu-bg", input, 0, "");
        launched.set("tool_response", agentResponse("async_launched", "started"));
        sidecar.hooks(prompt(s, "Run it in the background"), pre(s, "Task", "tu-bg", input).toString(),
                launched.toString(), subagentStart(s, "ag-bg", "general-purpose"));
        assertThat(event(s, "Task").get("status").asText(), is("running"));
        assertThat(event(s, "Task").get("execution_duration_seconds").isNull(), is(true));

        sidecar.hooks(subagentStop(s, "ag-bg", "general-purpose", "All green"));
        assertThat(event(s, "Task").get("status").asText(), is("success"));
        assertThat(event(s, "Task").get("execution_duration_seconds").isNumber(), is(true));
    }

    @Test
    void redeliveredEvents_changeNothing() {
        String s = "s-redeliver";
        String post = post(s, "Bash", "tu-r", bash("ls"), 40, "README.md").toString();
        sidecar.hooks(prompt(s, "List files"), prompt(s, "List files"),
                pre(s, "Bash", "tu-r", bash("ls")).toString(), post);
        Object seqBefore = sidecar.value("SELECT seq FROM agent_events WHERE tool_use_id = 'tu-r'");
        sidecar.hooks(post, pre(s, "Bash", "tu-r", bash("ls")).toString());

        assertThat(sidecar.rows("SELECT tool_name, status, seq FROM agent_events WHERE session_id = 's-redeliver'"
                                + " ORDER BY timestamp"),
                contains(Map.of("tool_name", "UserQuery", "status", "started", "seq",
                                sidecar.value("SELECT seq FROM agent_events WHERE session_id = 's-redeliver'"
                                              + " AND tool_name = 'UserQuery'")),
                         Map.of("tool_name", "Bash", "status", "success", "seq", seqBefore)));
        assertThat(sidecar.value("SELECT total_events FROM sessions WHERE session_id = 's-redeliver'"), is(2));
    }

    @Test
    void stopFailure_endsTheTurnAsAnError_andPermissionDenied_endsItsCall() {
        String s = "s-fail";
        sidecar.hooks(prompt(s, "Refactor everything"), pre(s, "Bash", "tu-d", bash("rm -rf /")).toString(),
                io.htmlgraph.sidecar.Hooks.base(s, "PermissionDenied").put("tool_name", "Bash")
                        .put("tool_use_id", "tu-d").put("reason", "auto mode denied it").toString(),
                io.htmlgraph.sidecar.Hooks.base(s, "StopFailure").put("error", "rate_limit")
                        .put("error_details", "429 Too Many Requests").toString());
        assertThat(sidecar.rows("SELECT tool_name, status, output_summary FROM agent_events WHERE session_id = 's-fail'"
                                + " AND tool_name IN ('UserQuery', 'Bash') ORDER BY timestamp"),
                contains(Map.of("tool_name", "UserQuery", "status", "error",
                                "output_summary", "rate_limit: 429 Too Many Requests"),
                         Map.of("tool_name", "Bash", "status", "error",
                                "output_summary", "permission denied: auto mode denied it")));
    }

    @Test
    void callsWithoutToolUseId_pairByOrder_andRedeliveriesDoNotCloseTheNextCall() {
        String s = "s-noid";
        var first = pre(s, "Read", "x", file("/one"));
        first.remove("tool_use_id");
        var second = pre(s, "Read", "x", file("/two"));
        second.remove("tool_use_id");
        var done = post(s, "Read", "x", file("/one"), 10, "one");
        done.remove("tool_use_id");
        sidecar.hooks(first.toString(), first.toString(), second.toString(), done.toString(), done.toString());
        assertThat(sidecar.rows("SELECT input_summary, status FROM agent_events WHERE session_id = 's-noid'"
                                + " ORDER BY timestamp, seq"),
                contains(Map.of("input_summary", "Read: /one", "status", "success"),
                         Map.of("input_summary", "Read: /two", "status", "started")));
    }

    @Test
    void postToolUseWithoutPre_isStoredAsAFinishedCall() {
        String s = "s-nopre";
        sidecar.hooks(post(s, "Read", "tu-np", file("/x"), 250, "x").toString());
        assertThat(sidecar.rows("SELECT status, execution_duration_seconds AS d FROM agent_events"
                                + " WHERE tool_use_id = 'tu-np'"),
                contains(Map.of("status", "success", "d", 0.25)));
    }

    @Test
    void sessionThatEnds_isReportedEnded_withItsReasonAndModel() {
        String s = "s-ends";
        sidecar.hooks(sessionStart(s, "claude-opus-4-5"), prompt(s, "hi"), sessionEnd(s, "logout"));
        JsonNode session = sessionJson(s);
        assertThat(session.get("status").asText(), is("ended"));
        assertThat(session.get("end_reason").asText(), is("logout"));
        assertThat(session.get("model").asText(), is("claude-opus-4-5"));
        assertThat(session.get("agent").asText(), is("claude-code"));
        assertThat(session.get("total_events").asInt(), is(3));
        assertThat(session.get("ended_at").asText().compareTo(session.get("started_at").asText()), greaterThan(0));
    }

    @Test
    void permissionNotification_marksTheAgentWaiting_untilItsNextToolEvent() {
        String s = "s-wait";
        sidecar.hooks(prompt(s, "Delete the build dir"), pre(s, "Bash", "tu-w", bash("rm -rf build")).toString(),
                notification(s, "permission_prompt", "Claude needs your permission to use Bash"));
        assertThat(sidecar.rows("SELECT waiting_reason, waiting_message FROM session_agents"
                                + " WHERE session_id = 's-wait'"),
                contains(Map.of("waiting_reason", "permission",
                                "waiting_message", "Claude needs your permission to use Bash")));
        sidecar.hooks(post(s, "Bash", "tu-w", bash("rm -rf build"), 5, "").toString());
        assertThat(sidecar.value("SELECT count(*) FROM session_agents WHERE session_id = 's-wait'"
                                 + " AND waiting_since IS NOT NULL"), is(0));
    }

    @Test
    void unknownHookNames_areStored_neverRejected() {
        var event = io.htmlgraph.sidecar.Hooks.base("s-unknown", "FutureHookEvent").put("novel_field", 42);
        assertThat(sidecar.post("/api/hooks", event.toString()).status(), is(200));
        assertThat(sidecar.post("/api/hooks/PreCompact",
                "{\"session_id\":\"s-unknown\",\"trigger\":\"auto\"}").status(), is(200));
        assertThat(sidecar.rows("SELECT hook_event_name, event_type FROM agent_events"
                                + " WHERE session_id = 's-unknown' ORDER BY seq"),
                contains(Map.of("hook_event_name", "FutureHookEvent", "event_type", "check_point"),
                         Map.of("hook_event_name", "PreCompact", "event_type", "check_point")));
    }

    @Test
    void batches_asJsonArrayOrNdjson_areAcceptedWhole() {
        String array = "[" + prompt("s-batch", "one") + "," + stop("s-batch", "done") + "]";
        TestSidecar.Response answer = sidecar.post("/api/hooks", array);
        assertThat(answer.status(), is(200));
        assertThat(answer.json().get("accepted").asInt(), is(2));
        String ndjson = prompt("s-batch", "two") + "\n" + stop("s-batch", "done again") + "\n";
        answer = sidecar.post("/api/hooks", ndjson, "Content-Type", "application/x-ndjson");
        assertThat(answer.json().get("accepted").asInt(), is(2));
        assertThat(sidecar.value("SELECT count(*) FROM agent_events WHERE session_id = 's-batch'"), is(4));
    }

    @Test
    void singleHook_isAnsweredWithEmptyHookOutput() {
        TestSidecar.Response answer = sidecar.post("/api/hooks", prompt("s-answer", "hello"));
        assertThat(answer.body(), is("{}"));
        assertThat(answer.headers().get("x-accepted-events"), contains("1"));
    }

    @Test
    void observabilityEnvelope_isStoredLikeTheHookItCarries() {
        String envelope = "{\"source_app\":\"my-app\",\"session_id\":\"s-env\",\"hook_event_type\":\"PreToolUse\","
                + "\"payload\":" + pre("s-env", "Bash", "tu-env", bash("make")) + ",\"timestamp\":1764201600000,"
                + "\"model_name\":\"claude-haiku-4-5\",\"chat\":[{\"role\":\"user\"}]}";
        TestSidecar.Response answer = sidecar.post("/events", envelope);
        assertThat(answer.status(), is(200));
        assertThat(sidecar.rows("SELECT source, timestamp, status, model FROM agent_events"
                                + " WHERE tool_use_id = 'tu-env'"),
                contains(Map.of("source", "envelope", "timestamp", "2025-11-27T00:00:00.000Z", "status", "started",
                                "model", "claude-haiku-4-5")));
        assertThat(sidecar.value("SELECT source_app FROM sessions WHERE session_id = 's-env'"), is("my-app"));
    }

    @Test
    void envelopeFromTheFuture_isStoredAtItsReceiptTime() {
        String envelope = "{\"source_app\":\"my-app\",\"session_id\":\"s-future\",\"hook_event_type\":\"Stop\","
                + "\"payload\":" + stop("s-future", "done") + ",\"timestamp\":4102444800000}"; // 2100-01-01
        assertThat(sidecar.post("/events", envelope).status(), is(200));
        String stored = (String) sidecar.value("SELECT timestamp FROM agent_events WHERE session_id = 's-future'");
        assertThat(Instant.parse(stored).isAfter(Instant.now()), is(false));
    }

    @Test
    void eventsApi_filtersBySessionAndAgent_newestFirst() {
        String s = "s-filter";
        sidecar.hooks(prompt(s, "first"), prompt(s, "second"),
                inSubagent(pre(s, "Read", "tu-f", file("/f")), "ag-f", "Explore"));
        JsonNode events = sidecar.get("/api/events?session_id=s-filter").json();
        assertThat(events.size(), is(3));
        assertThat(events.get(0).get("tool_name").asText(), is("Read"));
        assertThat(events.get(2).get("input_summary").asText(), is("first"));
        JsonNode explore = sidecar.get("/api/events?session_id=s-filter&agent_id=Explore&limit=5").json();
        assertThat(explore.size(), is(1));
        assertThat(sidecar.get("/api/events?session_id=s-filter&limit=1&offset=1").json().get(0)
                .get("input_summary").asText(), is("second"));
        assertThat(sidecar.get("/api/initial-stats").json().get("agents").toString(), containsString("Explore"));
    }

    private static JsonNode event(String session, String toolName) {
        for (JsonNode event : sidecar.get("/api/events?limit=1000&session_id=" + session).json()) {
            if (toolName.equals(event.get("tool_name").asText())) {
                return event;
            }
        }
        throw new AssertionError("no " + toolName + " event in session " + session);
    }

    private static JsonNode sessionJson(String session) {
        for (JsonNode s : sidecar.get("/api/sessions?limit=500").json().get("sessions")) {
            if (session.equals(s.get("session_id").asText())) {
                return s;
            }
        }
        throw new AssertionError("no session " + session);
    }
}
