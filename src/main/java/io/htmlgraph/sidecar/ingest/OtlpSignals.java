package io.htmlgraph.sidecar.ingest;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import com.google.protobuf.ByteString;
import io.htmlgraph.sidecar.domain.BadInputException;
import io.htmlgraph.sidecar.domain.ErrorCode;
import io.htmlgraph.sidecar.domain.MetricPoint;
import io.htmlgraph.sidecar.domain.ToolResult;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * Maps OTLP metrics and spans. Metrics: the data points of {@code claude_code.token.usage} and
 * {@code claude_code.cost.usage} (sums, delta or cumulative), stored one row per point so a resend adds nothing;
 * they never add to the totals, which come from the per-request events (see README). Spans (enhanced telemetry):
 * {@code claude_code.llm_request} is a request's usage (the same request id as its event: counted once),
 * {@code claude_code.tool} and its {@code tool.execution} child enrich the tool call of that {@code tool_use_id}.
 * The GenAI conventions' spans and {@code gen_ai.client.token.usage} points go through {@link OtlpGenAi}.
 */
final class OtlpSignals {
    private static final Set<String> USAGE_METRICS = Set.of("claude_code.token.usage", "claude_code.cost.usage");

    private final UsageRecords usage;
    private final OtlpGenAi genAi;

    OtlpSignals(UsageRecords usage) {
        this.usage = usage;
        this.genAi = new OtlpGenAi(usage);
    }

    void metrics(ExportMetricsServiceRequest request, OtlpBatch batch) {
        for (ResourceMetrics resource : request.getResourceMetricsList()) {
            for (ScopeMetrics scope : resource.getScopeMetricsList()) {
                for (Metric metric : scope.getMetricsList()) {
                    if (OtlpGenAi.TOKEN_METRIC.equals(metric.getName()) && metric.hasHistogram()) {
                        histogram(resource, metric, batch);
                        continue;
                    }
                    if (!USAGE_METRICS.contains(metric.getName()) || !metric.hasSum()) {
                        continue; // other metrics: accepted, not used
                    }
                    String temporality = temporality(metric.getSum().getAggregationTemporality());
                    for (NumberDataPoint point : metric.getSum().getDataPointsList()) {
                        try {
                            batch.items.add(point(metric.getName(), temporality, point,
                                    new Attrs(resource.getResource().getAttributesList(), point.getAttributesList())));
                        } catch (BadInputException e) {
                            batch.reject(e.getMessage());
                        }
                    }
                }
            }
        }
    }

    private static void histogram(ResourceMetrics resource, Metric metric, OtlpBatch batch) {
        String temporality = temporality(metric.getHistogram().getAggregationTemporality());
        for (HistogramDataPoint point : metric.getHistogram().getDataPointsList()) {
            try {
                batch.items.add(OtlpGenAi.point(temporality, point,
                        new Attrs(resource.getResource().getAttributesList(), point.getAttributesList())));
            } catch (BadInputException e) {
                batch.reject(e.getMessage());
            }
        }
    }

    private static String temporality(AggregationTemporality t) {
        return t == AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE ? "cumulative" : "delta";
    }

    private static MetricPoint point(String name, String temporality, NumberDataPoint p, Attrs a) {
        double value = p.hasAsInt() ? p.getAsInt() : p.getAsDouble();
        if (value < 0 || Double.isNaN(value) || Double.isInfinite(value)) {
            throw new BadInputException(ErrorCode.INVALID_VALUE, "'" + name + "' points must be finite and >= 0");
        }
        return new MetricPoint(name + ' ' + a.canonical(), p.getStartTimeUnixNano(), p.getTimeUnixNano(), name,
                temporality, a.id("session.id"), a.id("model"), a.text("type"), value);
    }

    void spans(ExportTraceServiceRequest request, OtlpBatch batch, Instant now) {
        for (ResourceSpans resource : request.getResourceSpansList()) {
            Map<ByteString, ToolResult> tools = new HashMap<>();
            for (ScopeSpans scope : resource.getScopeSpansList()) {
                for (Span span : scope.getSpansList()) {
                    try {
                        span(span, new Attrs(resource.getResource().getAttributesList(), span.getAttributesList()),
                             batch, tools, now);
                    } catch (BadInputException e) {
                        batch.reject(e.getMessage());
                    }
                }
            }
            executions(resource, tools, batch, now);
        }
    }

    private void span(Span span, Attrs a, OtlpBatch batch, Map<ByteString, ToolResult> tools, Instant now) {
        Instant end = OtlpLogs.at(a, span.getEndTimeUnixNano(), now);
        switch (span.getName()) {
            case "claude_code.llm_request" -> {
                String session = a.id("session.id");
                if (session != null && !Boolean.FALSE.equals(a.flag("success"))) {
                    batch.items.add(usage.request(OtlpLogs.key("claude_code.api_request", a, end), "telemetry",
                            OtlpFigures.claude(a, session, end)));
                }
            }
            case "claude_code.tool" -> {
                String session = a.id("session.id");
                String toolUseId = a.id("tool_use_id") != null ? a.id("tool_use_id") : a.id("gen_ai.tool.call.id");
                if (session != null && toolUseId != null) {
                    Long duration = a.number("duration_ms") != null ? OtlpLogs.whole(a.number("duration_ms"))
                            : (span.getEndTimeUnixNano() - span.getStartTimeUnixNano()) / 1_000_000;
                    ToolResult tool = new ToolResult(session, toolUseId, null, Math.max(0, duration), null, end);
                    tools.put(span.getSpanId(), tool);
                    batch.items.add(tool);
                }
            }
            default -> {
                if (OtlpGenAi.handles(a)) {
                    genAi.span(span, a, batch, now);
                } // interaction, hook, blocked_on_user, other spans: accepted, not used
            }
        }
    }

    /** {@code claude_code.tool.execution} spans carry the outcome of their parent tool span. */
    private static void executions(ResourceSpans resource, Map<ByteString, ToolResult> tools, OtlpBatch batch,
                                   Instant now) {
        if (tools.isEmpty()) {
            return;
        }
        for (ScopeSpans scope : resource.getScopeSpansList()) {
            for (Span span : scope.getSpansList()) {
                ToolResult tool = tools.get(span.getParentSpanId());
                if (tool != null && "claude_code.tool.execution".equals(span.getName())) {
                    Attrs a = new Attrs(resource.getResource().getAttributesList(), span.getAttributesList());
                    batch.items.add(new ToolResult(tool.sessionId(), tool.toolUseId(), a.flag("success"),
                            tool.durationMs(), a.text("error") == null ? null
                            : Sanitizer.truncate(Sanitizer.mask(a.text("error")), Summaries.MAX), tool.at()));
                }
            }
        }
    }
}
