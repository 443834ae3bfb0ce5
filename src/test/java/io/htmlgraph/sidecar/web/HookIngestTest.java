package io.htmlgraph.sidecar.web;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.htmlgraph.sidecar.Api;
import io.htmlgraph.sidecar.WiredServer;
import org.junit.jupiter.api.Test;

import static io.htmlgraph.sidecar.Hooks.bash;
import static io.htmlgraph.sidecar.Hooks.failure;
import static io.htmlgraph.sidecar.Hooks.file;
import static io.htmlgraph.sidecar.Hooks.inSubagent;
import static io.htmlgraph.sidecar.Hooks.post;
import static io.htmlgraph.sidecar.Hooks.pre;
import static io.htmlgraph.sidecar.Hooks.prompt;
import static io.htmlgraph.sidecar.Hooks.sessionStart;
import static io.htmlgraph.sidecar.Hooks.stop;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * The hook routes on the real server with the production wiring: what each route accepts and answers, and that what
 * it accepts is stored and correlated (the rules themselves: {@code correlate.CorrelationRulesTest}). Checked through
 * the JSON API only.
 */
@ServerTest
class HookIngestTest extends WiredServer {

    HookIngestTest(Http1Client http) {
        super(http);
    }

    @Test
    void hooksPostedOneByOne_areCorrelated_intoCallsUnderTheirTurn() {
        String s = "s-prompt";
        hooks(sessionStart(s, "claude-sonnet-4-5"), prompt(s, "Fix the failing test"),
              pre(s, "Read", "tu-1", file("/app/Parser.java")).toString(),
              post(s, "Read", "tu-1", file("/app/Parser.java"), 12, "class Parser {}").toString(),
              pre(s, "Bash", "tu-3", bash("mvn test")).toString(),
              failure(s, "Bash", "tu-3", bash("mvn test"), "Exit code 1").toString(), stop(s, "It still fails."));

        JsonNode turn = event(s, "UserQuery");
        assertThat(turn.get("status").asText(), is("completed"));
        assertThat(turn.get("output_summary").asText(), is("It still fails."));
        JsonNode read = event(s, "Read");
        assertThat(read.get("status").asText() + " " + read.get("execution_duration_seconds").asDouble(),
                   is("success 0.012"));
        JsonNode bashCall = event(s, "Bash");
        assertThat(bashCall.get("status").asText(), is("error"));
        assertThat(bashCall.get("output_summary").asText(), is("Exit code 1"));
        assertThat(bashCall.get("model").asText(), is("claude-sonnet-4-5"));
        assertThat(bashCall.get("parent_event_id").asText(), is(turn.get("event_id").asText()));
        assertThat(json("/api/events?session_id=" + s).size(), is(5)); // one row per call, not per hook
    }

    @Test
    void theHookNameInThePath_namesABodyWithoutOne_andUnknownNamesAreStored() {
        var event = io.htmlgraph.sidecar.Hooks.base("s-unknown", "FutureHookEvent").put("novel_field", 42);
        assertThat(Api.post(http, "/api/hooks", event.toString()).status(), is(Status.OK_200));
        String bare = "{\"session_id\":\"s-unknown\",\"trigger\":\"auto\"}";
        assertThat(Api.post(http, "/api/hooks/PreCompact", bare).status(), is(Status.OK_200));
        JsonNode events = json("/api/events?session_id=s-unknown");
        assertThat(events.get(0).get("hook_event_name").asText() + " " + events.get(0).get("event_type").asText(),
                   is("PreCompact check_point"));
        assertThat(events.get(1).get("hook_event_name").asText() + " " + events.get(1).get("event_type").asText(),
                   is("FutureHookEvent check_point"));
    }

    @Test
    void batches_asJsonArrayOrNdjson_areAcceptedWhole() {
        String array = "[" + prompt("s-batch", "one") + "," + stop("s-batch", "done") + "]";
        Api.Answer answer = Api.post(http, "/api/hooks", array);
        assertThat(answer.status(), is(Status.OK_200));
        assertThat(answer.json().get("accepted").asInt(), is(2));
        String ndjson = prompt("s-batch", "two") + "\n" + stop("s-batch", "done again") + "\n";
        assertThat(Api.post(http, "/api/hooks", ndjson, "application/x-ndjson").json().get("accepted").asInt(), is(2));
        assertThat(json("/api/events?session_id=s-batch").size(), is(4));
    }

    @Test
    void anEventOfTooManyJsonValues_isRefused_beforeItsTreeFillsTheHeap_whileItsBatchNeighboursNeedNotBe() {
        StringBuilder keys = new StringBuilder("{\"session_id\":\"s-wide\",\"hook_event_name\":\"Stop\"");
        for (int i = 0; i < 30_000; i++) { // 60,000 names and values in 0.5 MB
            keys.append(",\"k").append(i).append("\":").append(i);
        }
        Api.Answer wide = Api.post(http, "/api/hooks", keys.append('}').toString());
        assertThat(wide.body(), wide.status(), is(Status.BAD_REQUEST_400));
        assertThat(wide.json().get("detail").asText(), containsString("more than 50000 JSON names and values"));
        String batch = "[" + prompt("s-wide", "one") + ",{\"session_id\":\"s-wide\",\"hook_event_name\":\"Stop\","
                + "\"tool_input\":{\"values\":[" + "0,".repeat(49_000) + "0]}}" + "]";
        assertThat(Api.post(http, "/api/hooks", batch).json().get("accepted").asInt(), is(2));
        assertThat(json("/api/events?session_id=s-wide").size(), is(2));
    }

    @Test
    void singleHook_isAnsweredWithEmptyHookOutput() {
        Api.Answer answer = Api.post(http, "/api/hooks", prompt("s-answer", "hello"));
        assertThat(answer.body(), is("{}"));
        assertThat(answer.headers().first(HeaderNames.create("X-Accepted-Events")).orElseThrow(), is("1"));
    }

    @Test
    void observabilityEnvelope_isStoredLikeTheHookItCarries() {
        String envelope = "{\"source_app\":\"my-app\",\"session_id\":\"s-env\",\"hook_event_type\":\"PreToolUse\","
                + "\"payload\":" + pre("s-env", "Bash", "tu-env", bash("make")) + ",\"timestamp\":1764201600000,"
                + "\"model_name\":\"claude-haiku-4-5\",\"chat\":[{\"role\":\"user\"}]}";
        assertThat(Api.post(http, "/events", envelope).status(), is(Status.OK_200));
        JsonNode call = event("s-env", "Bash");
        assertThat(call.get("source").asText() + " " + call.get("timestamp").asText() + " "
                   + call.get("status").asText() + " " + call.get("model").asText(),
                   is("envelope 2025-11-27T00:00:00.000Z started claude-haiku-4-5"));
        assertThat(json("/api/sessions/s-env").toString(), containsString("\"source_app\":\"my-app\""));
    }

    @Test
    void envelopeFromTheFuture_isStoredAtItsReceiptTime() {
        String envelope = "{\"source_app\":\"my-app\",\"session_id\":\"s-future\",\"hook_event_type\":\"Stop\","
                + "\"payload\":" + stop("s-future", "done") + ",\"timestamp\":4102444800000}"; // 2100-01-01
        assertThat(Api.post(http, "/events", envelope).status(), is(Status.OK_200));
        String stored = json("/api/events?session_id=s-future").get(0).get("timestamp").asText();
        assertThat(Instant.parse(stored).isAfter(Instant.now()), is(false));
    }

    @Test
    void eventsApi_filtersBySessionAndAgent_newestFirst() {
        String s = "s-filter";
        hooks(prompt(s, "first"), prompt(s, "second"), inSubagent(pre(s, "Read", "tu-f", file("/f")), "ag-f",
                                                                  "Explore"));
        JsonNode events = json("/api/events?session_id=s-filter");
        assertThat(events.size(), is(3));
        assertThat(events.get(0).get("tool_name").asText(), is("Read"));
        assertThat(events.get(2).get("input_summary").asText(), is("first"));
        JsonNode explore = json("/api/events?session_id=s-filter&agent_id=Explore&limit=5");
        assertThat(explore.size(), is(1));
        assertThat(json("/api/events?session_id=s-filter&limit=1&offset=1").get(0).get("input_summary").asText(),
                   is("second"));
        assertThat(json("/api/initial-stats").get("agents").toString(), containsString("Explore"));
    }

    private void hooks(String... payloads) {
        for (String payload : payloads) {
            assertThat(payload, Api.post(http, "/api/hooks", payload).status(), is(Status.OK_200));
        }
    }

    private JsonNode json(String path) {
        return Api.get(http, path);
    }

    private JsonNode event(String session, String toolName) {
        for (JsonNode event : json("/api/events?limit=1000&session_id=" + session)) {
            if (toolName.equals(event.get("tool_name").asText())) {
                return event;
            }
        }
        throw new AssertionError("no " + toolName + " event in session " + session);
    }
}
