package io.htmlgraph.sidecar.otlp;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.htmlgraph.sidecar.Hooks;
import io.htmlgraph.sidecar.SharedSidecarTest;
import io.htmlgraph.sidecar.TestSidecar;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.is;

/**
 * Agents that follow the OpenTelemetry GenAI semantic conventions (spans, the inference details event, the token
 * usage histogram), with bodies built from the shapes the conventions document.
 */
class GenAiConventionsTest extends SharedSidecarTest {
    private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
    private static final long START = System.currentTimeMillis() * 1_000_000 - 600_000_000_000L;

    /** An inference span in OTLP JSON: {@code chat claude-sonnet-4-5}, input counting its cached parts. */
    private static String chatSpanJson(String conversation, String spanId, String responseId) {
        long end = System.currentTimeMillis() * 1_000_000;
        return "{\"resourceSpans\":[{\"resource\":{\"attributes\":["
               + str("service.name", "my-agent") + "]},\"scopeSpans\":[{\"scope\":{\"name\":"
               + "\"opentelemetry.instrumentation.anthropic\"},\"spans\":[{\"traceId\":\"" + TRACE + "\",\"spanId\":\""
               + spanId + "\",\"name\":\"chat claude-sonnet-4-5\",\"kind\":3,\"startTimeUnixNano\":\""
               + (end - 1_500_000_000L) + "\",\"endTimeUnixNano\":\"" + end + "\",\"attributes\":["
               + str("gen_ai.operation.name", "chat") + "," + str("gen_ai.provider.name", "anthropic") + ","
               + str("gen_ai.request.model", "claude-sonnet-4-5") + ","
               + str("gen_ai.response.model", "claude-sonnet-4-5-20250929") + ","
               + (responseId == null ? "" : str("gen_ai.response.id", responseId) + ",")
               + str("gen_ai.conversation.id", conversation) + ","
               + num("gen_ai.usage.input_tokens", 1200) + "," + num("gen_ai.usage.output_tokens", 50) + ","
               + num("gen_ai.usage.cache_read.input_tokens", 800) + ","
               + num("gen_ai.usage.cache_creation.input_tokens", 100) + ","
               + "{\"key\":\"gen_ai.response.finish_reasons\",\"value\":{\"arrayValue\":{\"values\":"
               + "[{\"stringValue\":\"end_turn\"}]}}}," + str("vendor.unknown.thing", "kept out")
               + "],\"status\":{}}]}]}]}";
    }

    /** The same request as the details event, emitted inside its span (same trace and span id). */
    private static String detailsEventJson(String conversation, String spanId) {
        return "{\"resourceLogs\":[{\"resource\":{\"attributes\":[" + str("service.name", "my-agent") + "]},"
               + "\"scopeLogs\":[{\"logRecords\":[{\"timeUnixNano\":\"" + System.currentTimeMillis() * 1_000_000 + "\","
               + "\"eventName\":\"gen_ai.client.inference.operation.details\",\"traceId\":\"" + TRACE + "\","
               + "\"spanId\":\"" + spanId + "\",\"attributes\":[" + str("gen_ai.operation.name", "chat") + ","
               + str("gen_ai.request.model", "claude-sonnet-4-5") + "," + str("gen_ai.conversation.id", conversation)
               + "," + num("gen_ai.usage.input_tokens", 1200) + "," + num("gen_ai.usage.output_tokens", 50) + ","
               + num("gen_ai.usage.cache_read.input_tokens", 800) + ","
               + num("gen_ai.usage.cache_creation.input_tokens", 100) + "]}]}]}]}";
    }

    private static String str(String key, String value) {
        return "{\"key\":\"" + key + "\",\"value\":{\"stringValue\":\"" + value + "\"}}";
    }

    private static String num(String key, long value) {
        return "{\"key\":\"" + key + "\",\"value\":{\"intValue\":\"" + value + "\"}}";
    }

    @Test
    void chatSpan_isOneUsageRecord_withCachedTokensApart_andItsCostComputed_countedOnceWithResendAndEvent() {
        sidecar.hooks(OtlpIngestTest.prompt("ga-chat", "p-ga", "Summarise the diff"));
        String spans = chatSpanJson("ga-chat", "00f067aa0ba902b7", null);
        TestSidecar.Response answer = sidecar.post("/v1/traces", spans);
        assertThat(answer.body(), answer.status(), is(200));
        assertThat(answer.body(), is("{}"));
        sidecar.post("/v1/traces", spans); // resent batch
        TestSidecar.Response event = sidecar.post("/v1/logs", detailsEventJson("ga-chat", "00f067aa0ba902b7"));
        assertThat(event.body(), event.status(), is(200));

        JsonNode totals = sidecar.get("/api/sessions/ga-chat").json().get("totals");
        JsonNode tokens = totals.get("tokens");
        assertThat(tokens.get("input").asLong(), is(300L));
        assertThat(tokens.get("cache_read").asLong(), is(800L));
        assertThat(tokens.get("cache_creation").asLong(), is(100L));
        assertThat(tokens.get("output").asLong(), is(50L));
        assertThat(tokens.get("total").asLong(), is(1250L));
        // claude-sonnet-4-5: 300 × $3 + 50 × $15 + 800 × $0.30 + 100 × $3.75 per million
        assertThat(totals.get("cost_usd").asDouble(), closeTo(0.002265, 1e-12));
        assertThat(totals.get("usage").get("cost_source").asText(), is("computed"));
        JsonNode turn = sidecar.get("/api/events-grouped-by-prompt?session_id=ga-chat").json()
                .get("conversation_turns").get(0).get("userQuery");
        assertThat(turn.get("cost_usd").asDouble(), closeTo(0.002265, 1e-12));
        JsonNode byModel = totals.get("by_model").get(0);
        assertThat(byModel.get("model").asText(), is("claude-sonnet-4-5-20250929"));
    }

    @Test
    void theResponseId_dedupesASpanAndAnEventOfTheSameRequest_evenWithoutASharedSpan() {
        sidecar.hooks(OtlpIngestTest.prompt("ga-resp", "p-ga-resp", "Go"));
        sidecar.post("/v1/traces", chatSpanJson("ga-resp", "1111111111111111", "msg_01XFDUDYJgAACzvnptvVoYEL"));
        sidecar.post("/v1/traces", chatSpanJson("ga-resp", "2222222222222222", "msg_01XFDUDYJgAACzvnptvVoYEL"));
        JsonNode tokens = sidecar.get("/api/sessions/ga-resp").json().get("totals").get("tokens");
        assertThat(tokens.get("total").asLong(), is(1250L));
    }

    private static KeyValue kv(String key, Object value) {
        return Otlp.kv(key, value);
    }

    /** An OpenAI agent's trace in protobuf: invoke_agent → chat (gpt-4o) + execute_tool, with odd attributes. */
    private static ExportTraceServiceRequest agentTrace(String conversation) {
        ByteString trace = ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
        ByteString agentId = ByteString.copyFrom(new byte[] {1, 1, 1, 1, 1, 1, 1, 1});
        Span agent = Span.newBuilder().setTraceId(trace).setSpanId(agentId).setName("invoke_agent Researcher")
                .setStartTimeUnixNano(START).setEndTimeUnixNano(START + 9_000_000_000L)
                .addAttributes(kv("gen_ai.operation.name", "invoke_agent"))
                .addAttributes(kv("gen_ai.agent.name", "Researcher"))
                .addAttributes(kv("gen_ai.conversation.id", conversation))
                .addAttributes(kv("gen_ai.usage.input_tokens", 5000L)) // the sum of its chats: not counted again
                .addAttributes(kv("gen_ai.usage.output_tokens", 700L)).build();
        Span chat = Span.newBuilder().setTraceId(trace).setSpanId(ByteString.copyFrom(new byte[] {2, 2, 2, 2, 2, 2,
                        2, 2})).setParentSpanId(agentId).setName("chat gpt-4o").setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                .setStartTimeUnixNano(START).setEndTimeUnixNano(START + 2_000_000_000L)
                .addAttributes(kv("gen_ai.operation.name", "chat"))
                .addAttributes(kv("gen_ai.system", "openai"))
                .addAttributes(kv("gen_ai.request.model", "gpt-4o"))
                .addAttributes(kv("gen_ai.conversation.id", conversation))
                .addAttributes(kv("gen_ai.usage.input_tokens", 5000L))
                .addAttributes(kv("gen_ai.usage.output_tokens", 700L))
                .addAttributes(KeyValue.newBuilder().setKey("gen_ai.input.messages").setValue(AnyValue.newBuilder()
                        .setArrayValue(ArrayValue.newBuilder().addValues(AnyValue.newBuilder().setKvlistValue(
                                KeyValueList.newBuilder().addValues(kv("role", "user")))))))
                .addAttributes(KeyValue.newBuilder().setKey("some.bytes").setValue(AnyValue.newBuilder()
                        .setBytesValue(ByteString.copyFromUtf8("x"))))
                .addAttributes(kv("gen_ai.request.temperature", 0.2)).build();
        Span tool = Span.newBuilder().setTraceId(trace).setSpanId(ByteString.copyFrom(new byte[] {3, 3, 3, 3, 3, 3,
                        3, 3})).setParentSpanId(agentId).setName("execute_tool run_tests")
                .setStartTimeUnixNano(START + 3_000_000_000L).setEndTimeUnixNano(START + 3_750_000_000L)
                .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("exit 1"))
                .addAttributes(kv("gen_ai.operation.name", "execute_tool"))
                .addAttributes(kv("gen_ai.tool.name", "Bash"))
                .addAttributes(kv("gen_ai.tool.call.id", "call_ga_tool"))
                .addAttributes(kv("gen_ai.conversation.id", conversation))
                .addAttributes(kv("error.type", "tool_failed")).build();
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(kv("service.name", "unknown_service:python")))
                .addScopeSpans(ScopeSpans.newBuilder().addSpans(agent).addSpans(chat).addSpans(tool))).build();
    }

    @Test
    void protobufAgentTrace_countsTheChatOnce_notTheAgentSpan_andAnExecuteToolSpanFailsItsCall() {
        sidecar.hooks(OtlpIngestTest.prompt("ga-proto", "p-ga-proto", "Run the tests"),
                      Hooks.pre("ga-proto", "Bash", "call_ga_tool", TestSidecar.JSON.createObjectNode()
                              .put("command", "mvn test")).toString());
        byte[] body = agentTrace("ga-proto").toByteArray();
        TestSidecar.Response answer = OtlpIngestTest.postProtobuf(sidecar, "/v1/traces", body);
        assertThat(answer.body(), answer.status(), is(200));
        OtlpIngestTest.postProtobuf(sidecar, "/v1/traces", body); // resent

        JsonNode totals = sidecar.get("/api/sessions/ga-proto").json().get("totals");
        assertThat(totals.get("tokens").get("input").asLong(), is(5000L));
        assertThat(totals.get("tokens").get("output").asLong(), is(700L));
        assertThat(totals.get("cost_usd").isNull(), is(true)); // gpt-4o is not in the price table
        assertThat(totals.get("usage").hasNonNull("cost_source"), is(false));
        JsonNode agents = sidecar.get("/api/usage").json().get("by_agent_model");
        JsonNode openai = null;
        for (JsonNode row : agents) {
            if ("gpt-4o".equals(row.get("model").asText())) {
                openai = row;
            }
        }
        assertThat(openai.get("agent_id").asText(), is("openai"));
        JsonNode call = sidecar.get("/api/events?session_id=ga-proto").json();
        JsonNode bash = null;
        for (JsonNode e : call.isArray() ? call : call.get("events")) {
            if ("Bash".equals(e.get("tool_name").asText())) {
                bash = e;
            }
        }
        assertThat(bash.get("status").asText(), is("error"));
    }

    @Test
    void aSpanWithoutAConversation_isRejectedAlone_asAPartialSuccess() {
        String body = chatSpanJson("x", "3333333333333333", null)
                .replace(str("gen_ai.conversation.id", "x") + ",", "");
        TestSidecar.Response answer = sidecar.post("/v1/traces", body);
        assertThat(answer.body(), answer.status(), is(200));
        JsonNode partial = answer.json().get("partialSuccess");
        assertThat(partial.get("rejectedSpans").asText(), is("1"));
        assertThat(partial.get("errorMessage").asText().contains("gen_ai.conversation.id"), is(true));
    }

    @Test
    void tokenUsageHistogram_isKeptOncePerPoint_byTokenType_andNeverAddsToTheTotals() {
        sidecar.hooks(OtlpIngestTest.prompt("ga-hist", "p-ga-hist", "Go"));
        ExportMetricsServiceRequest metrics = ExportMetricsServiceRequest.newBuilder().addResourceMetrics(
                ResourceMetrics.newBuilder().addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder()
                        .setName("gen_ai.client.token.usage").setUnit("{token}").setHistogram(Histogram.newBuilder()
                                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                                .addDataPoints(point("input", 1200, 1))
                                .addDataPoints(point("output", 50, 1)))))).build();
        assertThat(OtlpIngestTest.postProtobuf(sidecar, "/v1/metrics", metrics.toByteArray()).status(), is(200));
        OtlpIngestTest.postProtobuf(sidecar, "/v1/metrics", metrics.toByteArray()); // resent
        String json = "{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[{\"name\":\"gen_ai.client.token.usage\","
                + "\"unit\":\"{token}\",\"histogram\":{\"aggregationTemporality\":2,\"dataPoints\":[{\"attributes\":["
                + str("gen_ai.token.type", "input") + "," + str("gen_ai.conversation.id", "ga-hist") + ","
                + str("gen_ai.request.model", "claude-sonnet-4-5") + "],\"startTimeUnixNano\":\"1\","
                + "\"timeUnixNano\":\"5\",\"count\":\"3\",\"sum\":4000,\"bucketCounts\":[\"0\",\"3\"],"
                + "\"explicitBounds\":[1024]}]}}]}]}]}";
        TestSidecar.Response answer = sidecar.post("/v1/metrics", json);
        assertThat(answer.body(), answer.status(), is(200));
        assertThat(sidecar.rows("SELECT temporality, type, value FROM otel_metric_points"
                                + " WHERE metric = 'gen_ai.client.token.usage' ORDER BY temporality, type"),
                   is(List.of(Map.of("temporality", "cumulative", "type", "input", "value", 4000.0),
                              Map.of("temporality", "delta", "type", "input", "value", 1200.0),
                              Map.of("temporality", "delta", "type", "output", "value", 50.0))));
        assertThat(sidecar.get("/api/sessions/ga-hist").json().get("totals").get("tokens").isNull(), is(true));
    }

    private static HistogramDataPoint point(String type, double sum, long count) {
        return HistogramDataPoint.newBuilder().setStartTimeUnixNano(START).setTimeUnixNano(START + 60_000_000_000L)
                .setCount(count).setSum(sum).addExplicitBounds(1024).addBucketCounts(0).addBucketCounts(count)
                .addAttributes(kv("gen_ai.operation.name", "chat")).addAttributes(kv("gen_ai.provider.name", "openai"))
                .addAttributes(kv("gen_ai.token.type", type)).addAttributes(kv("gen_ai.request.model", "gpt-4o"))
                .build();
    }

    @Test
    void geminiCliDetailsEvents_areNotCountedTwice_besideItsApiResponse() {
        String body = detailsEventJson("ga-gemini", "4444444444444444")
                .replace(str("service.name", "my-agent"), str("service.name", "gemini-cli"));
        assertThat(sidecar.post("/v1/logs", body).status(), is(200));
        assertThat(sidecar.value("SELECT count(*) FROM api_requests WHERE session_id = 'ga-gemini'"), is(0));
    }
}
