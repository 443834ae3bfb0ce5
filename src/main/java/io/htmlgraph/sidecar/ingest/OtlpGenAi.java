package io.htmlgraph.sidecar.ingest;

import java.time.Instant;
import java.util.HexFormat;
import java.util.Set;

import com.google.protobuf.ByteString;
import io.htmlgraph.sidecar.domain.BadInputException;
import io.htmlgraph.sidecar.domain.ErrorCode;
import io.htmlgraph.sidecar.domain.MetricPoint;
import io.htmlgraph.sidecar.domain.ToolResult;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;

/**
 * The OpenTelemetry GenAI semantic conventions ({@code gen_ai.*}, as of semantic-conventions v1.41, see README), so
 * agents other than Claude Code count too: an inference span ({@code gen_ai.operation.name} {@code chat},
 * {@code text_completion}, {@code generate_content} or {@code embeddings}) or the
 * {@code gen_ai.client.inference.operation.details} event is one usage record; an {@code execute_tool} span enriches
 * the tool call of its {@code gen_ai.tool.call.id}; {@code gen_ai.client.token.usage} histogram points are kept as
 * a cross-check. Agent spans ({@code invoke_agent}) are not counted: their usage repeats their inference spans'.
 * The conventions count cached tokens inside {@code gen_ai.usage.input_tokens}; the store keeps them apart.
 */
final class OtlpGenAi {
    static final String TOKEN_METRIC = "gen_ai.client.token.usage";
    static final String DETAILS_EVENT = "gen_ai.client.inference.operation.details";
    private static final Set<String> INFERENCE = Set.of("chat", "text_completion", "generate_content", "embeddings");
    private static final String SESSION_KEYS = "'gen_ai.conversation.id' (or 'session.id')";
    /** Senders whose own events are counted already (Gemini CLI sends both its api_response and the details). */
    private static final Set<String> NATIVE = Set.of("claude-code", "gemini-cli", "codex_cli_rs", "codex-cli");

    private final UsageRecords usage;

    OtlpGenAi(UsageRecords usage) {
        this.usage = usage;
    }

    /** Whether a span is one of the conventions' that this maps (by its {@code gen_ai.operation.name}). */
    static boolean handles(Attrs a) {
        String operation = a.text("gen_ai.operation.name");
        return operation != null && (INFERENCE.contains(operation) || "execute_tool".equals(operation));
    }

    void span(Span span, Attrs a, OtlpBatch batch, Instant now) {
        Instant end = OtlpLogs.at(a, span.getEndTimeUnixNano(), now);
        long durationMs = Math.max(0, (span.getEndTimeUnixNano() - span.getStartTimeUnixNano()) / 1_000_000);
        boolean failed = span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR
                         || a.text("error.type") != null;
        String error = failed ? errorText(a, span.getStatus().getMessage()) : null;
        if ("execute_tool".equals(a.text("gen_ai.operation.name"))) {
            String session = session(a);
            String callId = a.id("gen_ai.tool.call.id");
            if (session != null && callId != null) {
                batch.items.add(new ToolResult(session, callId, !failed, durationMs, error, end));
            }
            return;
        }
        request(a, spanKey(span.getTraceId(), span.getSpanId()), end, durationMs, error, batch);
    }

    /** The details event: the same request as its span (the same response id, or the span it was emitted in). */
    void event(Attrs a, ByteString traceId, ByteString spanId, Instant at, OtlpBatch batch) {
        String key = spanId.isEmpty() ? OtlpLogs.key(DETAILS_EVENT, a, at) : spanKey(traceId, spanId);
        request(a, key, at, null, a.text("error.type") == null ? null : errorText(a, null), batch);
    }

    private void request(Attrs a, String fallbackKey, Instant at, Long durationMs, String error, OtlpBatch batch) {
        boolean hasUsage = a.text("gen_ai.usage.input_tokens") != null || a.text("gen_ai.usage.output_tokens") != null
                           || a.text("gen_ai.usage.prompt_tokens") != null
                           || a.text("gen_ai.usage.completion_tokens") != null;
        if (!hasUsage && error == null || NATIVE.contains(a.text("service.name"))) {
            return; // no usage figures, or counted from the sender's own events
        }
        String sessionId = session(a);
        if (sessionId == null) {
            throw new BadInputException(ErrorCode.MISSING_ATTRIBUTE, SESSION_KEYS + " is required");
        }
        String responseId = a.id("gen_ai.response.id");
        String key = responseId != null ? "genai:" + responseId : fallbackKey;
        UsageRecords.Figures f = figures(a, sessionId, responseId, at, durationMs);
        batch.items.add(hasUsage ? usage.request(key, "telemetry", f)
                : UsageRecords.error("err:" + key, "telemetry", f, error));
    }

    /** Tokens by kind: input without the cached parts (the conventions include them), reasoning inside output. */
    private static UsageRecords.Figures figures(Attrs a, String sessionId, String responseId, Instant at,
                                                Long durationMs) {
        long cacheRead = or0(a.count("gen_ai.usage.cache_read.input_tokens"));
        long cacheWrite = or0(a.count("gen_ai.usage.cache_creation.input_tokens"));
        long input = or0(first(a.count("gen_ai.usage.input_tokens"), a.count("gen_ai.usage.prompt_tokens")));
        long output = or0(first(a.count("gen_ai.usage.output_tokens"), a.count("gen_ai.usage.completion_tokens")));
        return new UsageRecords.Figures(sessionId, null, null, agent(a), null, model(a), responseId,
                Math.max(0, input - cacheRead - cacheWrite), output, cacheRead, cacheWrite, 0, null, durationMs, at,
                first(a.id("htmlgraph.feature_id"), a.id("feature_id")));
    }

    /** A {@code gen_ai.client.token.usage} point: its sum, by token type and model (no session: metrics have none). */
    static MetricPoint point(String temporality, HistogramDataPoint p, Attrs a) {
        double sum = p.hasSum() ? p.getSum() : 0;
        if (sum < 0 || Double.isNaN(sum) || Double.isInfinite(sum)) {
            throw new BadInputException(ErrorCode.INVALID_VALUE, "'" + TOKEN_METRIC + "' sums must be finite and >= 0");
        }
        return new MetricPoint(TOKEN_METRIC + ' ' + a.canonical(), p.getStartTimeUnixNano(), p.getTimeUnixNano(),
                TOKEN_METRIC, temporality, session(a), model(a), a.text("gen_ai.token.type"), sum);
    }

    private static String session(Attrs a) {
        return first(a.id("gen_ai.conversation.id"), a.id("session.id"));
    }

    /** The model that answered (and is billed), else the one asked for. */
    private static String model(Attrs a) {
        return first(a.id("gen_ai.response.model"), a.id("gen_ai.request.model"));
    }

    /** The agent's name, else the service's (when the SDK knew it), else the provider. */
    private static String agent(Attrs a) {
        String service = a.id("service.name");
        if (service != null && service.startsWith("unknown_service")) {
            service = null;
        }
        String name = first(a.id("gen_ai.agent.name"), first(service, first(a.id("gen_ai.provider.name"),
                                                                              a.id("gen_ai.system"))));
        return name == null ? "gen_ai" : name;
    }

    private static String errorText(Attrs a, String statusMessage) {
        String text = first(a.text("error.type"), statusMessage == null || statusMessage.isBlank() ? null
                : statusMessage);
        return Sanitizer.truncate(Sanitizer.mask(text == null ? "error" : text), Summaries.MAX);
    }

    private static String spanKey(ByteString traceId, ByteString spanId) {
        return "span:" + HexFormat.of().formatHex(traceId.toByteArray()) + '/'
               + HexFormat.of().formatHex(spanId.toByteArray());
    }

    private static long or0(Long n) {
        return n == null ? 0 : n;
    }

    private static <T> T first(T a, T b) {
        return a != null ? a : b;
    }
}
