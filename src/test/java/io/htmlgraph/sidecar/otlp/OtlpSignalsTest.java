package io.htmlgraph.sidecar.otlp;

import java.util.Map;

import io.htmlgraph.sidecar.Hooks;
import io.htmlgraph.sidecar.SharedSidecarTest;
import io.htmlgraph.sidecar.TestSidecar;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.is;

/** OTLP metrics and spans, other CLIs' events, and the write token on the OTLP routes. */
class OtlpSignalsTest extends SharedSidecarTest {

    /** A claude_code.token.usage sum in OTLP JSON: temporality as an enum number, int64 as string. */
    static String tokenMetric(String session, int temporality, long start, long time, long value) {
        return "{\"resourceMetrics\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":"
               + "{\"stringValue\":\"claude-code\"}}]},\"scopeMetrics\":[{\"scope\":{\"name\":"
               + "\"com.anthropic.claude_code\"},\"metrics\":[{\"name\":\"claude_code.token.usage\","
               + "\"unit\":\"tokens\","
               + "\"sum\":{\"aggregationTemporality\":" + temporality + ",\"isMonotonic\":true,\"dataPoints\":[{"
               + "\"attributes\":[{\"key\":\"session.id\",\"value\":{\"stringValue\":\"" + session + "\"}},"
               + "{\"key\":\"type\",\"value\":{\"stringValue\":\"input\"}},{\"key\":\"model\",\"value\":"
               + "{\"stringValue\":\"claude-opus-4-5\"}}],\"startTimeUnixNano\":\"" + start + "\",\"timeUnixNano\":"
               + time + ",\"asDouble\":" + value + "}]}},{\"name\":\"claude_code.session.count\",\"sum\":{"
               + "\"aggregationTemporality\":1,\"dataPoints\":[{\"asInt\":\"1\"}]}}]}]}]}";
    }

    @Test
    void tokenMetrics_ofBothTemporalities_areStoredOncePerPoint_andNeverAddToTheTotals() {
        sidecar.hooks(OtlpIngestTest.prompt("g-met", "p-met", "Go"));
        sidecar.post("/v1/logs", new Otlp()
                .apiRequest("g-met", "p-met", "req_gm", "claude-opus-4-5", 1000, 0, 0, 0, 0.5).json());
        TestSidecar.Response delta = sidecar.post("/v1/metrics", tokenMetric("g-met", 1, 1_000, 2_000, 1000));
        assertThat(delta.body(), delta.status(), is(200));
        sidecar.post("/v1/metrics", tokenMetric("g-met", 1, 1_000, 2_000, 1000)); // resent
        sidecar.post("/v1/metrics", tokenMetric("g-met", 2, 1_000, 3_000, 1000)); // cumulative
        sidecar.post("/v1/metrics", tokenMetric("g-met", 2, 1_000, 3_000, 1000)); // resent
        ExportMetricsServiceRequest proto = ExportMetricsServiceRequest.newBuilder().addResourceMetrics(
                ResourceMetrics.newBuilder().addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder()
                        .setName("claude_code.cost.usage").setSum(Sum.newBuilder()
                                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                                .addDataPoints(NumberDataPoint.newBuilder().setStartTimeUnixNano(1).setTimeUnixNano(9)
                                        .setAsDouble(0.5).addAttributes(Otlp.kv("session.id", "g-met"))))))).build();
        assertThat(OtlpIngestTest.postProtobuf(sidecar, "/v1/metrics", proto.toByteArray()).status(), is(200));
        assertThat(sidecar.rows("SELECT metric, temporality, value FROM otel_metric_points WHERE session_id = 'g-met'"
                                + " ORDER BY metric, temporality"),
                is(java.util.List.of(Map.of("metric", "claude_code.cost.usage", "temporality", "cumulative",
                                            "value", 0.5),
                                     Map.of("metric", "claude_code.token.usage", "temporality", "cumulative",
                                            "value", 1000.0),
                                     Map.of("metric", "claude_code.token.usage", "temporality", "delta",
                                            "value", 1000.0))));
        var totals = sidecar.get("/api/sessions/g-met").json().get("totals");
        assertThat(totals.get("cost_usd").asDouble(), closeTo(0.5, 1e-9));
        assertThat(totals.get("tokens").get("total").asLong(), is(1000L));
    }

    @Test
    void llmRequestSpans_countWithTheirEventOnce_andToolSpansEnrichTheirCall() {
        sidecar.hooks(OtlpIngestTest.prompt("g-span", "p-span", "Go"),
                      Hooks.pre("g-span", "Read", "toolu_span", TestSidecar.JSON.createObjectNode()
                              .put("file_path", "/tmp/x")).toString());
        sidecar.post("/v1/logs", new Otlp()
                .apiRequest("g-span", "p-span", "req_span", "claude-opus-4-5", 100, 10, 0, 0, 0.25).json());
        String spans = "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":"
                + "{\"stringValue\":\"claude-code\"}}]},\"scopeSpans\":[{\"spans\":["
                + span("5b8efff798038103d269b633813fc60c", "eee19b7ec3c1b174", "", "claude_code.llm_request", 1, 2,
                       "{\"key\":\"session.id\",\"value\":{\"stringValue\":\"g-span\"}},"
                       + "{\"key\":\"request_id\",\"value\":{\"stringValue\":\"req_span\"}},"
                       + "{\"key\":\"input_tokens\",\"value\":{\"intValue\":\"100\"}},"
                       + "{\"key\":\"output_tokens\",\"value\":{\"intValue\":10}},"
                       + "{\"key\":\"model\",\"value\":{\"stringValue\":\"claude-opus-4-5\"}}") + ","
                + span("5b8efff798038103d269b633813fc60c", "aaa19b7ec3c1b174", "", "claude_code.tool",
                       1_000_000_000L, 1_250_000_000L,
                       "{\"key\":\"session.id\",\"value\":{\"stringValue\":\"g-span\"}},"
                       + "{\"key\":\"tool_use_id\",\"value\":{\"stringValue\":\"toolu_span\"}},"
                       + "{\"key\":\"tool_name\",\"value\":{\"stringValue\":\"Read\"}}") + ","
                + span("5b8efff798038103d269b633813fc60c", "bbb19b7ec3c1b174", "aaa19b7ec3c1b174",
                       "claude_code.tool.execution", 1_000_000_000L, 1_200_000_000L,
                       "{\"key\":\"success\",\"value\":{\"boolValue\":true}}")
                + "]}]}]}";
        TestSidecar.Response answer = sidecar.post("/v1/traces", spans);
        assertThat(answer.body(), answer.status(), is(200));
        // the span's request is the log record's (same request id): counted once, 110 tokens, not 220
        assertThat(sidecar.get("/api/sessions/g-span").json().get("totals").get("tokens").get("total").asLong(),
                   is(110L));
        assertThat(OtlpIngestTest.call(path -> sidecar.get(path).json(), "g-span", "toolu_span", "status",
                                       "execution_duration_seconds"),
                   is("success 0.25"));
        assertThat(sidecar.post("/v1/traces", "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":"
                                              + "\"not-hex\"}]}]}]}").status(), is(400));
    }

    private static String span(String trace, String id, String parent, String name, long start, long end,
                               String attributes) {
        return "{\"traceId\":\"" + trace + "\",\"spanId\":\"" + id + "\",\"parentSpanId\":\"" + parent + "\","
               + "\"name\":\"" + name + "\",\"kind\":1,\"startTimeUnixNano\":\"" + start + "\",\"endTimeUnixNano\":\""
               + end + "\",\"attributes\":[" + attributes + "],\"status\":{\"code\":0}}";
    }

    @Test
    void codexAndGeminiEvents_withTokenCounts_areUsageOfTheirAgents() {
        sidecar.post("/v1/logs", new Otlp()
                .event("g-codex-conv", "codex.sse_event", Map.of("event.kind", "response.completed",
                        "conversation.id", "g-codex", "model", "gpt-5-codex", "input_token_count", "1000",
                        "cached_token_count", "600", "output_token_count", "50", "reasoning_token_count", "20"))
                .event("g-gemini", "gemini_cli.api_response", Map.of("model", "gemini-2.5-pro",
                        "input_token_count", 300L, "cached_content_token_count", 100L, "output_token_count", 40L,
                        "thoughts_token_count", 10L, "duration_ms", 900L))
                .event("g-gemini", "gemini_cli.tool_call", Map.of("function_name", "read_file")).json());
        // no session row (telemetry alone makes none): the usage report by agent and model shows them
        java.util.List<String> byAgent = new java.util.ArrayList<>();
        for (var row : sidecar.get("/api/usage").json().get("by_agent_model")) {
            var usage = row.get("usage");
            if (!"claude-code".equals(row.get("agent_id").asText())) {
                byAgent.add(row.get("agent_id").asText() + " " + row.get("model").asText() + " "
                            + usage.get("input_tokens").asLong() + " " + usage.get("cache_read_tokens").asLong()
                            + " " + usage.get("output_tokens").asLong());
            }
        }
        assertThat(byAgent, is(java.util.List.of("codex gpt-5-codex 400 600 50", "gemini gemini-2.5-pro 200 100 50")));
    }

    @Test
    void theWriteToken_isRequiredOnTheOtlpRoutes() {
        try (TestSidecar s = TestSidecar.start(Map.of("write-token", "s3cret"))) {
            String body = new Otlp().apiRequest("g-tok", null, "req_t", "claude-opus-4-5", 1, 1, 0, 0, 0.1).json();
            assertThat(s.post("/v1/logs", body).status(), is(401));
            assertThat(s.post("/v1/logs", body, "Content-Type", "application/json",
                              "Authorization", "Bearer s3cret").status(), is(200));
            assertThat(s.get("/api/usage").json().get("total").get("total_tokens").asLong(), is(2L)); // one request
        }
    }
}
