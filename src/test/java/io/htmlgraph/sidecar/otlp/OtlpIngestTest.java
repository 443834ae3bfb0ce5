package io.htmlgraph.sidecar.otlp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.htmlgraph.sidecar.Api;
import io.htmlgraph.sidecar.Hooks;
import io.htmlgraph.sidecar.TestSidecar;
import io.htmlgraph.sidecar.WiredServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * Claude Code's OTLP logs joined to its hook events: exact tokens and USD per turn and session, counted once. The real
 * server with the production wiring (Helidon's {@code @ServerTest}); checked through the JSON API.
 */
@ServerTest
class OtlpIngestTest extends WiredServer {

    OtlpIngestTest(Http1Client http) {
        super(http);
    }

    static String prompt(String session, String promptId, String text) {
        return Hooks.base(session, "UserPromptSubmit").put("prompt", text).put("prompt_id", promptId).toString();
    }

    static TestSidecar.Response postJson(TestSidecar s, String path, String body) {
        return s.post(path, body, "Content-Type", "application/json");
    }

    static TestSidecar.Response postProtobuf(TestSidecar s, String path, byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(s.uri(path))
                .header("Content-Type", "application/x-protobuf").POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return s.send(request.build());
    }

    private Api.Answer post(String path, String json) {
        return Api.post(http, path, json);
    }

    private Api.Answer postProto(String path, byte[] body) {
        return Api.postBytes(http, path, body, "application/x-protobuf");
    }

    private static String contentType(Api.Answer answer) {
        return answer.headers().first(HeaderNames.CONTENT_TYPE).orElseThrow();
    }

    private JsonNode turn(String session) {
        return Api.get(http, "/api/events-grouped-by-prompt?session_id=" + session)
                .get("conversation_turns").get(0);
    }

    @Test
    void apiRequestsAfterTheirPrompt_countOnTheTurn_withExactTokensAndUsd() {
        Api.hooks(http, Hooks.sessionStart("o-after", "claude-opus-4-5"), prompt("o-after", "p-after-1", "Fix it"));
        Api.Answer answer = post("/v1/logs", new Otlp()
                .apiRequest("o-after", "p-after-1", "req_a1", "claude-opus-4-5", 1200, 300, 5000, 800, 0.0401)
                .apiRequest("o-after", "p-after-1", "req_a2", "claude-haiku-4-5", 100, 20, 0, 0, 0.0002)
                .json());
        assertThat(answer.status().code(), is(200));
        assertThat(answer.body(), is("{}"));

        JsonNode turn = turn("o-after");
        assertThat(turn.get("userQuery").get("total_tokens").asLong(), is(1200L + 300 + 5000 + 800 + 100 + 20));
        assertThat(turn.get("userQuery").get("cost_usd").asDouble(), closeTo(0.0403, 1e-9));
        assertThat(turn.get("userQuery").get("cost_source").asText(), is("telemetry"));
        assertThat(turn.get("stats").get("cost_usd").asDouble(), closeTo(0.0403, 1e-9));
        assertThat(turn.get("userQuery").get("usage").get("cache_read_tokens").asLong(), is(5000L));

        JsonNode session = Api.get(http, "/api/sessions/o-after");
        assertThat(session.get("totals").get("cost_usd").asDouble(), closeTo(0.0403, 1e-9));
        assertThat(session.get("totals").get("tokens").get("input").asLong(), is(1300L));
        assertThat(session.get("totals").get("by_model").size(), is(2));
        assertThat(session.get("turns").get(0).get("cost_usd").asDouble(), closeTo(0.0403, 1e-9));
        // both requests are on the turn: the session's whole usage (attached or not) is the turn's
        assertThat(session.get("totals").get("tokens").get("total").asLong(), is(1200L + 300 + 5000 + 800 + 100 + 20));
        String fragment = Api.answer(http, "/views/turns/" + turn.get("userQuery").get("event_id").asText()).body();
        assertThat(fragment, containsString("7,420 tokens"));
        assertThat(fragment, containsString("$0.0403"));
    }

    @Test
    void requestsBeforeTheirTurn_waitAndAttachWhenThePromptArrives() {
        long stored = usageTotal(http).path("total_tokens").asLong();
        post("/v1/logs", new Otlp()
                .apiRequest("o-before", "p-before-1", "req_b1", "claude-sonnet-4-5", 1000, 100, 0, 0, 0.0045).json());
        assertThat(usageTotal(http).path("total_tokens").asLong(), is(stored + 1100)); // kept, on no turn yet
        // telemetry alone makes no session
        assertThat(Api.answer(http, "/api/sessions/o-before").status().code(), is(404));

        Api.hooks(http, prompt("o-before", "p-before-1", "Explain"));
        JsonNode turn = turn("o-before");
        assertThat(turn.get("userQuery").get("total_tokens").asLong(), is(1100L));
        assertThat(turn.get("userQuery").get("cost_usd").asDouble(), closeTo(0.0045, 1e-9));
    }

    @Test
    void aResentBatch_inProtobuf_countsOnce() {
        Api.hooks(http, prompt("o-resend", "p-resend", "Go"));
        byte[] batch = new Otlp()
                .apiRequest("o-resend", "p-resend", "req_r1", "claude-opus-4-5", 10, 5, 0, 0, 0.5).protobuf();
        Api.Answer first = postProto("/v1/logs", batch);
        assertThat(first.status().code(), is(200));
        assertThat(contentType(first), containsString("application/x-protobuf"));
        postProto("/v1/logs", batch);
        assertThat(turn("o-resend").get("userQuery").get("cost_usd").asDouble(), closeTo(0.5, 1e-9));
        assertThat(Api.get(http, "/api/sessions/o-resend").get("totals").get("tokens").get("total").asLong(),
                   is(15L)); // one request of 10 + 5, not two
    }

    @Test
    void withoutUsd_theCostIsComputedFromThePriceTable_andSaysSo() {
        Api.hooks(http, prompt("o-priced", "p-priced", "Go"));
        // claude-sonnet-4-5: input 3, output 15, cache write 3.75, cache read 0.30 USD per million tokens; past
        // 200k input tokens the whole request is priced at 6, 22.5, 7.5, 0.60
        post("/v1/logs", new Otlp()
                .apiRequest("o-priced", "p-priced", "req_c1", "claude-sonnet-4-5-20250929", 100_000, 10_000,
                            50_000, 10_000, null).json());
        JsonNode query = turn("o-priced").get("userQuery");
        assertThat(query.get("cost_usd").asDouble(), closeTo(0.3 + 0.15 + 0.015 + 0.0375, 1e-9));
        assertThat(query.get("cost_source").asText(), is("computed"));
        post("/v1/logs", new Otlp()
                .apiRequest("o-priced", "p-priced", "req_c2", "claude-sonnet-4-5", 1_000_000, 100_000,
                            1_000_000, 100_000, null).json());
        assertThat(turn("o-priced").get("userQuery").get("cost_usd").asDouble(),
                   closeTo(0.5025 + 6 + 2.25 + 0.6 + 0.75, 1e-9));
    }

    @Test
    void aBadBody_gets400WithAStatus_andStoresNothing() {
        JsonNode before = usageTotal(http);
        Api.Answer json = post("/v1/logs", "{\"resourceLogs\": [ {\"scopeLogs\": 7} ]}");
        assertThat(json.status().code(), is(400));
        assertThat(json.json().get("code").asInt(), is(3));
        assertThat(json.json().get("error").asText(), is("invalid_otlp"));
        Api.Answer proto = postProto("/v1/logs", new byte[] {0x0a, 0x7f, 0x01});
        assertThat(proto.status().code(), is(400));
        assertThat(contentType(proto), containsString("application/x-protobuf"));
        assertThat(usageTotal(http), is(before));
        assertThat(post("/v1/logs", "not json").status().code(), is(400));
        assertThat(Api.post(http, "/v1/logs", "{}", "text/plain").status().code(), is(415));
    }

    @Test
    void protoFieldNames_nulls_andUnknownFields_readLikeTheCamelCaseBody() {
        Api.hooks(http, prompt("o-snake", "p-snake", "Go"));
        long stored = usageTotal(http).path("total_tokens").asLong();
        String camel = new Otlp().apiRequest("o-snake", "p-snake", "req_snake1", "claude-opus-4-5", 10, 5, 0, 0, 0.001)
                .json();
        String snake = camel.replace("\"resourceLogs\"", "\"resource_logs\"").replace("\"scopeLogs\"", "\"scope_logs\"")
                .replace("\"logRecords\"", "\"log_records\"").replace("\"timeUnixNano\"", "\"time_unix_nano\"")
                .replace("\"stringValue\"", "\"string_value\"").replace("\"intValue\"", "\"int_value\"")
                .replace("\"doubleValue\"", "\"double_value\"")
                .replace("\"log_records\":[{", "\"log_records\":[{\"severityText\":null,\"extra\":{\"a\":[1,{}]},");
        assertThat(snake, containsString("\"extra\""));
        assertThat(post("/v1/logs", snake).status().code(), is(200));
        assertThat(usageTotal(http).path("total_tokens").asLong(), is(stored + 15));
    }

    @Test
    void everyMisshapenLogsBody_gets400_andStoresNothing() {
        JsonNode before = usageTotal(http);
        String record = "{\"attributes\":[{\"key\":\"session.id\",\"value\":{\"stringValue\":\"o-bad\"}}]}";
        for (String body : new String[] {"[]", "7", "{\"resourceLogs\": 7}", "{\"resourceLogs\": [",
                "{\"resourceLogs\": [{\"resource\": []}]}",
                "{\"resourceLogs\": [{\"scopeLogs\": [{\"logRecords\": [7]}]}]}",
                "{\"resourceLogs\": [{\"scopeLogs\": [{\"logRecords\": [{\"attributes\": [{\"value\": {}}]}]}]}]}",
                "{\"resourceLogs\": [{\"scopeLogs\": [{\"logRecords\": [{\"attributes\": [{\"key\": \"k\","
                        + " \"value\": 1}]}]}]}]}",
                "{\"resourceLogs\": [{\"scopeLogs\": [{\"logRecords\": [{\"timeUnixNano\": \"soon\"}]}]}]}",
                "{\"resourceLogs\": [{\"scopeLogs\": [{\"logRecords\": [" + record.replace("\"stringValue\":\"o-bad\"",
                        "\"doubleValue\":\"x\"") + "]}]}]}",
                "{\"resourceLogs\": [{\"scopeLogs\": [{\"logRecords\": [" + record + "]}]}]} trailing"}) {
            Api.Answer answer = post("/v1/logs", body);
            assertThat(body, answer.status().code(), is(400));
            assertThat(body, answer.json().get("error").asText(), is("invalid_otlp"));
        }
        assertThat(usageTotal(http), is(before));
    }

    @Test
    void aRecordWithoutSession_isRejectedAlone_asAPartialSuccess() {
        long stored = usageTotal(http).path("total_tokens").asLong();
        Otlp batch = new Otlp().apiRequest("o-partial", null, "req_p1", "claude-opus-4-5", 1, 1, 0, 0, 0.01)
                .apiRequest(null, null, "req_p2", "claude-opus-4-5", 1, 1, 0, 0, 0.01);
        Api.Answer json = post("/v1/logs", batch.json());
        assertThat(json.status().code(), is(200));
        assertThat(json.json().get("partialSuccess").get("rejectedLogRecords").asText(), is("1"));
        assertThat(json.json().get("partialSuccess").get("errorMessage").asText(), containsString("session.id"));
        Api.Answer proto = postProto("/v1/logs", batch.protobuf());
        try {
            ExportLogsServiceResponse parsed = ExportLogsServiceResponse.parseFrom(
                    proto.body().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            assertThat(parsed.getPartialSuccess().getRejectedLogRecords(), is(1L));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        // req_p1 (1 + 1 tokens) stored once across both posts, req_p2 never
        assertThat(usageTotal(http).path("total_tokens").asLong(), is(stored + 2));
    }

    @Test
    void negativeOrAbsurdFigures_sentAsTypedNumbers_areRejectedAlone() {
        JsonNode before = usageTotal(http);
        Otlp batch = new Otlp().apiRequest("o-typed", null, "req_t1", "claude-opus-4-5", 1, 1, 0, 0, null);
        batch.last().put("cost_usd", -1000.0);
        batch.apiRequest("o-typed", null, "req_t2", "claude-opus-4-5", 1, 1, 0, 0, null);
        batch.last().put("cost_usd_micros", -5_000_000L);
        batch.apiRequest("o-typed", null, "req_t3", "claude-opus-4-5", 1, 1, 0, 0, null);
        batch.last().put("cost_usd", 1e300);
        batch.apiRequest("o-typed", null, "req_t4", "claude-opus-4-5", 1, 1, 0, 0, null);
        batch.last().put("duration_ms", -1L);
        Api.Answer answer = post("/v1/logs", batch.json());
        assertThat(answer.status().code(), is(200));
        assertThat(answer.json().get("partialSuccess").get("rejectedLogRecords").asText(), is("4"));
        assertThat(usageTotal(http), is(before));
    }

    @Test
    void aBodyOfMoreRecordsThanTheHeapHolds_isRefusedBeforeDecoding_inEitherEncoding() {
        ScopeLogs.Builder scope = ScopeLogs.newBuilder();
        for (int i = 0; i < 70_000; i++) { // two bytes each: 140 KB that would decode into 70,000 objects
            scope.addLogRecords(LogRecord.getDefaultInstance());
        }
        byte[] protobuf = ExportLogsServiceRequest.newBuilder()
                .addResourceLogs(ResourceLogs.newBuilder().addScopeLogs(scope)).build().toByteArray();
        Api.Answer proto = postProto("/v1/logs", protobuf);
        assertThat(proto.status().code(), is(400));
        assertThat(proto.body(), containsString("more than 60000 protobuf fields"));
        String json = "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[" + "{},".repeat(70_000) + "{}]}]}]}";
        Api.Answer answer = post("/v1/logs", json);
        assertThat(answer.status().code(), is(400));
        assertThat(answer.json().get("error").asText(), is("invalid_otlp"));
        assertThat(answer.json().get("message").asText(), containsString("more than 120000 JSON tokens"));
    }

    @Test
    void gzipBodies_areAccepted_andAZipBombIs413() throws IOException {
        Api.hooks(http, prompt("o-gzip", "p-gzip", "Go"));
        byte[] zipped = gzip(new Otlp()
                .apiRequest("o-gzip", "p-gzip", "req_g1", "claude-opus-4-5", 7, 3, 0, 0, 0.25).json().getBytes());
        Api.Answer answer = Api.postBytes(http, "/v1/logs", zipped, "application/json", "Content-Encoding", "gzip");
        assertThat(answer.body(), answer.status().code(), is(200));
        assertThat(turn("o-gzip").get("userQuery").get("total_tokens").asLong(), is(10L));

        byte[] bomb = gzip(new byte[64 * 1024 * 1024]); // 64 MiB of zeros, ~64 KiB compressed
        Api.Answer refused = Api.postBytes(http, "/v1/logs", bomb, "application/json", "Content-Encoding", "gzip");
        assertThat(refused.status().code(), is(413));
    }

    @Test
    void toolResults_enrichTheToolCall_withoutASecondRow() {
        Api.hooks(http, prompt("o-tool", "p-tool", "Run tests"),
                      Hooks.pre("o-tool", "Bash", "toolu_1", Hooks.bash("npm test")).toString());
        post("/v1/logs", new Otlp().event("o-tool", "tool_result", Map.of("tool_name", "Bash",
                "tool_use_id", "toolu_1", "success", "false", "duration_ms", "1530", "error", "exit 1")).json());
        assertThat(toolCall("o-tool", "toolu_1", "status", "execution_duration_seconds", "output_summary"),
                   is("error 1.53 exit 1"));
        // the hook still completes the call with its own result
        Api.hooks(http, Hooks.failure("o-tool", "Bash", "toolu_1", Hooks.bash("npm test"), "Exit code 1").toString());
        assertThat(events("o-tool").stream().filter(e -> "Bash".equals(e.get("tool_name").asText())).count(),
                   is(1L));
    }

    @Test
    void aToolResultBeforeItsCall_isKept_andAppliedWhenTheCallArrives() {
        Api.hooks(http, prompt("o-early", "p-early", "Go"));
        post("/v1/logs", new Otlp().event("o-early", "tool_result", Map.of("tool_name", "Grep",
                "tool_use_id", "toolu_early", "success", "true", "duration_ms", "40")).json());
        Api.hooks(http, Hooks.pre("o-early", "Grep", "toolu_early", Hooks.bash("x")).toString());
        assertThat(toolCall("o-early", "toolu_early", "status", "execution_duration_seconds"),
                   is("success 0.04"));
        Api.hooks(http, Hooks.post("o-early", "Grep", "toolu_early", Hooks.bash("x"), 41, "3 matches").toString());
        assertThat(toolCall("o-early", "toolu_early", "status", "output_summary"), is("success 3 matches"));
    }

    @Test
    void apiErrors_countOnTheTurn() {
        Api.hooks(http, prompt("o-err", "p-err", "Go"));
        post("/v1/logs", new Otlp().event("o-err", "api_error", Map.of("prompt.id", "p-err",
                "model", "claude-opus-4-5", "error", "overloaded", "status_code", "529", "attempt", "1")).json());
        assertThat(turn("o-err").get("userQuery").get("api_errors").asLong(), is(1L));
    }

    @Test
    void aUserPromptEvent_linksItsPromptIdToATurnStoredWithout() {
        Api.hooks(http, Hooks.prompt("o-link", "Old client"));
        post("/v1/logs", new Otlp()
                .event("o-link", "user_prompt", Map.of("prompt.id", "p-link", "prompt_length", "10"))
                .apiRequest("o-link", "p-link", "req_l1", "claude-opus-4-5", 5, 5, 0, 0, 0.125).json());
        assertThat(events("o-link").stream().filter(e -> "UserQuery".equals(e.get("tool_name").asText()))
                           .map(e -> e.path("prompt_id").asText()).toList(), is(java.util.List.of("p-link")));
        assertThat(turn("o-link").get("userQuery").get("cost_usd").asDouble(), closeTo(0.125, 1e-9));
    }

    @Test
    void aSubagentsRequests_countOnItsDelegation_andInTheTurnTotal() {
        String input = "{\"prompt\":\"Look around\",\"description\":\"Explore\",\"subagent_type\":\"Explore\"}";
        Api.hooks(http, prompt("o-sub", "p-sub", "Explore the repo"),
                      Hooks.pre("o-sub", "Agent", "toolu_agent", (com.fasterxml.jackson.databind.node.ObjectNode)
                              TestSidecar.JSON.valueToTree(Map.of("prompt", "Look around",
                                      "subagent_type", "Explore"))).toString(),
                      Hooks.base("o-sub", "SubagentStart").put("agent_id", "ag-1").put("agent_type", "Explore")
                              .toString());
        Otlp batch = new Otlp()
                .apiRequest("o-sub", "p-sub", "req_s1", "claude-opus-4-5", 100, 10, 0, 0, 0.01)
                .apiRequest("o-sub", "p-sub", "req_s2", "claude-haiku-4-5", 50, 5, 0, 0, 0.002);
        batch.last().put("agent_id", "ag-1");
        batch.last().put("agent.name", "Explore");
        batch.last().put("query_source", "subagent");
        post("/v1/logs", batch.json());
        assertThat(input.isEmpty(), is(false));
        assertThat(events("o-sub").stream().filter(e -> e.hasNonNull("cost_usd"))
                           .map(e -> e.get("tool_name").asText() + " " + e.get("usage").get("total_tokens").asLong()
                                     + " " + e.get("cost_usd").asDouble()).sorted().toList(),
                   is(java.util.List.of("Agent 55 0.002", "UserQuery 110 0.01")));
        assertThat(turn("o-sub").get("userQuery").get("cost_usd").asDouble(), closeTo(0.012, 1e-9));
        boolean explore = false; // req_s2 is the subagent's: usage of the agent Explore with its model
        for (JsonNode row : Api.get(http, "/api/usage").get("by_agent_model")) {
            explore |= (row.get("agent_id").asText() + " " + row.get("model").asText() + " "
                        + row.get("usage").get("total_tokens").asLong()).equals("Explore claude-haiku-4-5 55");
        }
        assertThat(explore, is(true));
    }

    /** The store-wide usage ({@code GET /api/usage}'s {@code total}). */
    static JsonNode usageTotal(TestSidecar s) {
        return s.get("/api/usage").json().get("total");
    }

    static JsonNode usageTotal(Http1Client http) {
        return Api.get(http, "/api/usage").get("total");
    }

    /** The session's events through {@code /api/events}, read with {@code get} (a path to its JSON answer). */
    static java.util.List<JsonNode> events(Function<String, JsonNode> get, String session) {
        java.util.List<JsonNode> events = new java.util.ArrayList<>();
        get.apply("/api/events?limit=1000&session_id=" + session).forEach(events::add);
        return events;
    }

    private java.util.List<JsonNode> events(String session) {
        return events(path -> Api.get(http, path), session);
    }

    private String toolCall(String session, String toolUseId, String... fields) {
        return call(path -> Api.get(http, path), session, toolUseId, fields);
    }

    /** The one call with this tool_use_id, through {@code /api/events}: the fields' values joined by spaces. */
    static String call(Function<String, JsonNode> get, String session, String toolUseId, String... fields) {
        java.util.List<JsonNode> calls = events(get, session).stream()
                .filter(e -> toolUseId.equals(e.path("tool_use_id").asText())).toList();
        assertThat(calls.toString(), calls.size(), is(1));
        java.util.List<String> values = new java.util.ArrayList<>();
        for (String field : fields) {
            values.add(calls.get(0).get(field).asText());
        }
        return String.join(" ", values);
    }

    private static byte[] gzip(byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(body);
        }
        return out.toByteArray();
    }
}
