package io.htmlgraph.sidecar.web;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.htmlgraph.sidecar.Api;
import io.htmlgraph.sidecar.TestSidecar;
import io.htmlgraph.sidecar.WiredServer;
import org.junit.jupiter.api.BeforeAll;
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
import static io.htmlgraph.sidecar.Hooks.sessionStart;
import static io.htmlgraph.sidecar.Hooks.stop;
import static io.htmlgraph.sidecar.Hooks.subagentStart;
import static io.htmlgraph.sidecar.Hooks.subagentStop;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

/**
 * The read routes over one realistic session: a turn with tool calls, a failing Bash and an Agent delegation. The
 * real server with the production wiring (Helidon's {@code @ServerTest}); checked through the JSON API.
 */
@ServerTest
class ReadApiTest extends WiredServer {
    private static final String S = "s-read";

    ReadApiTest(Http1Client http) {
        super(http);
    }

    @BeforeAll
    static void replaySession(Http1Client http) {
        var agent = agentInput("Explore", "find the parser");
        var agentDone = post(S, "Agent", "r-agent", agent, 2500, "");
        agentDone.set("tool_response", agentResponse("completed", "src/Parser.java"));
        Api.hooks(http, sessionStart(S, "claude-sonnet-4-5"), prompt(S, "Fix the parser"),
                pre(S, "Read", "r-1", file("/app/README.md")).toString(),
                post(S, "Read", "r-1", file("/app/README.md"), 40, "readme").toString(),
                pre(S, "Agent", "r-agent", agent).toString(), subagentStart(S, "ag-r", "Explore"),
                inSubagent(pre(S, "Grep", "r-g", file("/src")), "ag-r", "Explore"),
                inSubagent(post(S, "Grep", "r-g", file("/src"), 300, "src/Parser.java"), "ag-r", "Explore"),
                subagentStop(S, "ag-r", "Explore", "src/Parser.java"), agentDone.toString(),
                pre(S, "Bash", "r-b", bash("mvn test")).toString(),
                failure(S, "Bash", "r-b", bash("mvn test"), "Exit code 1").toString(),
                stop(S, "Still failing."), prompt(S, "Try again"),
                notification(S, "permission_prompt", "Claude needs your permission to use Bash"));
    }

    @Test
    void groupedFeed_nestsTheSubagentsWorkUnderItsDelegation_withStatsAndRealDurations() {
        JsonNode page = json("/api/events-grouped-by-prompt?session_id=" + S);
        assertThat(page.get("total_turns").asInt(), is(2));
        JsonNode open = page.get("conversation_turns").get(0);
        assertThat(open.get("userQuery").get("prompt").asText(), is("Try again"));
        assertThat(open.get("userQuery").get("duration_seconds").isNull(), is(true));
        assertThat(names(open.get("children")), contains("Notification"));

        JsonNode turn = page.get("conversation_turns").get(1);
        assertThat(turn.get("userQuery").get("prompt").asText(), is("Fix the parser"));
        assertThat(names(turn.get("children")), contains("Read", "Agent", "Bash", "Stop"));
        JsonNode delegation = turn.get("children").get(1);
        assertThat(delegation.get("depth").asInt(), is(1));
        assertThat(delegation.get("duration_seconds").asDouble(), is(2.5));
        assertThat(names(delegation.get("children")), contains("SubagentStart", "Grep", "SubagentStop"));
        JsonNode grep = delegation.get("children").get(1);
        assertThat(grep.get("agent").asText(), is("Explore"));
        assertThat(grep.get("depth").asInt(), is(2));
        assertThat(grep.get("duration_seconds").asDouble(), is(0.3));
        assertThat(grep.has("children"), is(false));
        assertThat(turn.get("stats").toString(),
                   is("{\"tool_count\":4,\"total_duration\":3.74,\"success_count\":3,\"error_count\":1}"));
    }

    @Test
    void groupedFeed_agentFilter_findsOlderTurnsOfThatAgent_beforeTheLimit() {
        JsonNode page = json("/api/events-grouped-by-prompt?limit=1&agent_id=Explore");
        assertThat(page.get("total_turns").asInt(), is(1));
        assertThat(page.get("conversation_turns").get(0).get("userQuery").get("prompt").asText(),
                   is("Fix the parser"));
    }

    @Test
    void groupedFeed_appliesTheAgentFilter() {
        JsonNode page = json("/api/events-grouped-by-prompt?session_id=" + S + "&agent_id=Explore");
        assertThat(page.get("total_turns").asInt(), is(1));
        JsonNode children = page.get("conversation_turns").get(0).get("children");
        assertThat(names(children), contains("Agent"));
        assertThat(names(children.get(0).get("children")), contains("SubagentStart", "Grep", "SubagentStop"));
    }

    @Test
    void durations_ofFinishedWork_doNotChangeWithTime() throws Exception {
        String first = Api.answer(http, "/api/event-traces?session_id=" + S).body();
        Api.hooks(http, prompt("s-other", "unrelated write, so the cache is invalidated"));
        Thread.sleep(1100);
        String again = Api.answer(http, "/api/event-traces?session_id=" + S).body();
        assertThat(again.replaceAll("\"timestamp\":\"[^\"]+\",", ""),
                   is(first.replaceAll("\"timestamp\":\"[^\"]+\",", "")));
    }

    @Test
    void trees_surviveAParentCycle_withoutLoopingOrRepeatingNodes() {
        Api.hooks(http, prompt("s-cycle", "loop"), pre("s-cycle", "Read", "c-1", file("/a")).toString());
        String turn = eventId("s-cycle", "UserQuery");
        String read = eventId("s-cycle", "Read");
        wired.execute("UPDATE agent_events SET parent_event_id = '" + read + "' WHERE event_id = '" + turn + "'");

        JsonNode children = json("/api/events-grouped-by-prompt?session_id=s-cycle")
                .get("conversation_turns").get(0).get("children");
        assertThat(names(children), contains("Read"));
        assertThat(children.get(0).has("children"), is(false));
    }

    @Test
    void eventTraces_listEachDelegationOnce_withItsChildEventsInOrder() {
        JsonNode traces = json("/api/event-traces?session_id=" + S);
        assertThat(traces.get("total_traces").asInt(), is(1));
        JsonNode trace = traces.get("traces").get(0);
        assertThat(trace.get("subagent_type").asText(), is("Explore"));
        assertThat(trace.get("agent_id").asText(), is("claude-code"));
        assertThat(trace.get("status").asText(), is("success"));
        assertThat(trace.get("duration_seconds").asDouble(), is(2.5));
        assertThat(trace.get("model").isNull(), is(false));
        assertThat(names(trace.get("child_events")), contains("SubagentStart", "Grep", "SubagentStop"));
        assertThat(trace.get("child_events").get(1).get("parent_event_id").asText(),
                   is(trace.get("parent_event_id").asText()));
    }

    @Test
    void activityFeed_countsSources_andCanLeaveDelegationsOut() {
        JsonNode all = json("/api/complete-activity-feed?session_id=" + S);
        assertThat(all.get("total_events").asInt(), is(11));
        assertThat(all.get("sources").toString(), is("{\"hook_events\":10,\"spike_logs\":0,\"delegations\":1}"));
        JsonNode without = json("/api/complete-activity-feed?include_delegations=false&session_id=" + S);
        assertThat(without.get("total_events").asInt(), is(10));
        assertThat(Api.answer(http, "/api/complete-activity-feed?include_spikes=maybe").status().code(), is(400));
    }

    @Test
    void orchestration_showsEachDelegationOnce_withTheStoredSubagentType() {
        JsonNode o = json("/api/orchestration");
        assertThat(o.get("delegation_count").asInt(), is(1));
        assertThat(o.get("agents").toString(), is("[\"Explore\",\"claude-code\"]"));
        JsonNode link = o.get("delegation_chains").get("claude-code").get(0);
        assertThat(link.get("to_agent").asText(), is("Explore"));
        assertThat(link.get("status").asText(), is("success"));
        assertThat(link.get("task").asText(), is("Agent (Explore): find the parser"));
        assertThat(json("/api/orchestration/delegations").has("agents"), is(false));
    }

    @Test
    void delegation_hasOneStatus_inEventsAndOrchestration() {
        JsonNode link = json("/api/orchestration").get("delegation_chains").get("claude-code").get(0);
        JsonNode events = json("/api/events?limit=100");
        JsonNode delegation = null;
        for (JsonNode e : events) {
            if (e.get("event_id").asText().equals(link.get("event_id").asText())) {
                delegation = e;
            }
        }
        assertThat(delegation.get("event_type").asText(), is("delegation"));
        assertThat(link.get("status").asText(), is(delegation.get("status").asText()));
    }

    @Test
    void sessionDetail_hasTurnsCountsAndDuration_andUnknownIdsAre404() {
        JsonNode detail = json("/api/sessions/" + S);
        assertThat(detail.get("session").get("model").asText(), is("claude-sonnet-4-5"));
        assertThat(detail.get("totals").toString(), is("{\"events\":11,\"tool_calls\":4,\"errors\":1,\"turns\":2,"
                                                         + "\"tokens\":null,\"cost_usd\":null}"));
        assertThat(detail.get("turns").size(), is(2));
        assertThat(detail.get("duration_seconds").asDouble(), greaterThan(0.0));
        assertThat(json("/api/sessions/" + S + "/events?limit=3").size(), is(3));
        assertThat(Api.answer(http, "/api/sessions/nope").status().code(), is(404));
        assertThat(Api.answer(http, "/api/sessions/nope/events").json().get("error").asText(), is("not_found"));
    }

    @Test
    void attention_listsTheAgentWaitingForPermission() {
        JsonNode waiting = json("/api/attention").get("waiting");
        assertThat(waiting.size(), is(1));
        assertThat(waiting.get(0).get("session_id").asText(), is(S));
        assertThat(waiting.get(0).get("reason").asText(), is("permission"));
    }

    @Test
    void attention_listsAnAgentFailingAgainAndAgain_withItsNewestError() throws InterruptedException {
        String s = "s-failing";
        for (int i = 1; i <= 3; i++) {
            Api.hooks(http, pre(s, "Bash", "f-" + i, bash("make")).toString(),
                      failure(s, "Bash", "f-" + i, bash("make"), "Exit code " + i).toString());
            Thread.sleep(3); // each failure stamped after the one before
        }
        JsonNode failing = null;
        for (JsonNode f : json("/api/attention").get("failing")) {
            failing = s.equals(f.get("session_id").asText()) ? f : failing;
        }
        assertThat(failing, is(notNullValue()));
        assertThat(failing.get("errors").asInt(), is(3));
        assertThat(failing.get("last_error").asText(), containsString("Exit code 3"));
    }

    @Test
    void export_streamsEverySessionEventWithItsPayload_asNdjsonOrJson() throws Exception {
        Api.Answer ndjson = Api.answer(http, "/api/export?session_id=" + S);
        assertThat(ndjson.headers().first(HeaderNames.CONTENT_TYPE).orElseThrow(),
                   containsString("application/x-ndjson"));
        String[] lines = ndjson.body().split("\n");
        assertThat(lines.length, is(11));
        JsonNode first = TestSidecar.JSON.readTree(lines[0]);
        assertThat(first.get("hook_event_name").asText(), is("SessionStart"));
        assertThat(first.get("payload").get("model").asText(), is("claude-sonnet-4-5"));
        assertThat(json("/api/export?format=json&session_id=" + S).size(), is(11));
        assertThat(Api.answer(http, "/api/export").status().code(), is(400));
        assertThat(Api.answer(http, "/api/export?session_id=nope").status().code(), is(404));
    }

    /** A session longer than one page of the export (200 events): every event once, oldest first, in both formats. */
    @Test
    void export_ofALongSession_sendsEveryEventOnce_inTimeOrder_acrossPages() throws Exception {
        try (TestSidecar sidecar = TestSidecar.start()) {
            List<String> hooks = new ArrayList<>(List.of(prompt("s-long", "work")));
            for (int i = 0; i < 450; i++) {
                hooks.add(pre("s-long", "Bash", "tu-" + i, bash("echo " + i)).toString());
            }
            assertThat(sidecar.post("/api/hooks", "[" + String.join(",", hooks) + "]").status(), is(200));
            List<String> lines = sidecar.get("/api/export?session_id=s-long").body().lines().toList();
            List<String> ids = new ArrayList<>();
            String previous = "";
            for (String line : lines) {
                JsonNode event = TestSidecar.JSON.readTree(line);
                ids.add(event.get("event_id").asText());
                assertThat(event.get("timestamp").asText().compareTo(previous), greaterThanOrEqualTo(0));
                previous = event.get("timestamp").asText();
            }
            assertThat(ids.size(), is(451));
            assertThat(ids.stream().distinct().count(), is(451L));
            assertThat(TestSidecar.JSON.readTree(lines.getLast()).get("payload").get("tool_input").get("command")
                               .asText(), is("echo 449"));
            JsonNode array = sidecar.get("/api/export?session_id=s-long&format=json").json();
            assertThat(array.size(), is(451));
            assertThat(array.get(200).get("event_id").asText(), is(ids.get(200)));
        }
    }

    @Test
    void everyLimit_isBounded_and400sAreJson() {
        for (String route : List.of("events", "events-grouped-by-prompt", "event-traces", "complete-activity-feed",
                                    "sessions", "spawner-activities")) {
            Api.Answer answer = Api.answer(http, "/api/" + route + "?limit=100000");
            assertThat(route, answer.status().code(), is(400));
            assertThat(answer.json().get("error").asText(), is("invalid_parameter"));
        }
    }

    @Test
    void cache_neverServesAnAnswerOlderThanTheLastWrite_andCountsHits() {
        int before = json("/api/initial-stats").get("total_events").asInt();
        Api.answer(http, "/api/initial-stats");
        Api.hooks(http, prompt("s-cache", "a new event"));
        assertThat(json("/api/initial-stats").get("total_events").asInt(), is(before + 1));
        JsonNode metrics = json("/api/query-metrics");
        assertThat(metrics.get("cache_status").get("cache_hits").asInt(), greaterThan(0));
        assertThat(metrics.get("query_metrics").get("initial-stats").get("executions").asInt(), greaterThan(1));
    }

    private static List<String> names(JsonNode nodes) {
        List<String> names = new ArrayList<>();
        nodes.forEach(n -> names.add(n.get("tool_name").asText()));
        return names;
    }

    private JsonNode json(String path) {
        return Api.get(http, path);
    }

    private String eventId(String session, String toolName) {
        for (JsonNode event : json("/api/events?limit=1000&session_id=" + session)) {
            if (toolName.equals(event.get("tool_name").asText())) {
                return event.get("event_id").asText();
            }
        }
        throw new AssertionError("no " + toolName + " event in session " + session);
    }
}
