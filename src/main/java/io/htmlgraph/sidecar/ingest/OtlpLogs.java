package io.htmlgraph.sidecar.ingest;

import java.time.Instant;

import io.htmlgraph.sidecar.domain.BadInputException;
import io.htmlgraph.sidecar.domain.ErrorCode;
import io.htmlgraph.sidecar.domain.PromptLink;
import io.htmlgraph.sidecar.domain.ToolResult;
import io.htmlgraph.sidecar.domain.UsageRecord;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;

/**
 * Maps OTLP log records (events) to usage items: Claude Code's {@code claude_code.api_request}, {@code api_error},
 * {@code tool_result} and {@code user_prompt}; Codex's {@code codex.sse_event} / {@code codex.api_request} and
 * Gemini CLI's {@code gemini_cli.api_response} when they carry token counts; the GenAI conventions' inference
 * details event (see {@link OtlpGenAi}). Other events are ignored (accepted);
 * a record with a missing session id or a bad value is rejected alone.
 */
final class OtlpLogs {
    private final UsageRecords usage;
    private final OtlpGenAi genAi;

    OtlpLogs(UsageRecords usage) {
        this.usage = usage;
        this.genAi = new OtlpGenAi(usage);
    }

    void map(ExportLogsServiceRequest request, OtlpBatch batch, Instant now) {
        for (ResourceLogs resource : request.getResourceLogsList()) {
            for (ScopeLogs scope : resource.getScopeLogsList()) {
                for (LogRecord log : scope.getLogRecordsList()) {
                    try {
                        record(log, new Attrs(resource.getResource().getAttributesList(), log.getAttributesList()),
                               batch, now);
                    } catch (BadInputException e) {
                        batch.reject(e.getMessage());
                    }
                }
            }
        }
    }

    private void record(LogRecord log, Attrs a, OtlpBatch batch, Instant now) {
        String name = name(log, a);
        Instant at = at(a, log.getTimeUnixNano() != 0 ? log.getTimeUnixNano() : log.getObservedTimeUnixNano(), now);
        switch (name) {
            case "claude_code.api_request" -> batch.items.add(usage.request(key(name, a, at), "telemetry",
                    OtlpFigures.claude(a, session(a, "session.id"), at)));
            case "claude_code.api_error" -> batch.items.add(UsageRecords.error(errorKey(name, a, at), "telemetry",
                    OtlpFigures.claude(a, session(a, "session.id"), at), a.text("error")));
            case "claude_code.tool_result" -> {
                String toolUseId = a.id("tool_use_id");
                if (toolUseId != null) {
                    batch.items.add(new ToolResult(session(a, "session.id"), toolUseId, a.flag("success"),
                            whole(a.number("duration_ms")), errorText(a.text("error")), at));
                }
            }
            case "claude_code.user_prompt" -> {
                String promptId = a.id("prompt.id");
                if (promptId != null) {
                    batch.items.add(new PromptLink(session(a, "session.id"), promptId, at));
                }
            }
            case "codex.sse_event", "codex.api_request" -> {
                if (a.text("input_token_count") != null
                        && (!"codex.sse_event".equals(name) || "response.completed".equals(a.text("event.kind")))) {
                    batch.items.add(usage.request(key(name, a, at), "telemetry",
                            OtlpFigures.codex(a, session(a, "conversation.id"), at)));
                }
            }
            case "gemini_cli.api_response" -> batch.items.add(usage.request(key(name, a, at), "telemetry",
                    OtlpFigures.gemini(a, session(a, "session.id"), at)));
            case OtlpGenAi.DETAILS_EVENT -> genAi.event(a, log.getTraceId(), log.getSpanId(), at, batch);
            default -> {
                // other events (tool_decision, hook_execution_*, …): accepted, not used
            }
        }
    }

    /** The event's name: the record's {@code event_name}, a dotted body, or {@code event.name} (prefixed). */
    private static String name(LogRecord log, Attrs a) {
        if (!log.getEventName().isEmpty()) {
            return log.getEventName();
        }
        String body = log.getBody().getStringValue();
        if (body.indexOf('.') > 0 && body.length() < 100 && !body.contains(" ")) {
            return body;
        }
        String event = a.text("event.name");
        return event == null ? "" : event.indexOf('.') < 0 ? "claude_code." + event : event;
    }

    /** When it happened: {@code event.timestamp}, else the record's time; never later than now. */
    static Instant at(Attrs a, long unixNano, Instant now) {
        Instant at = a.instant("event.timestamp");
        if (at == null && unixNano > 0) {
            at = Instant.ofEpochSecond(0, unixNano);
        }
        return at == null || at.isAfter(now) ? now : at;
    }

    static String session(Attrs a, String key) {
        String id = a.id(key);
        if (id == null) {
            throw new BadInputException(ErrorCode.MISSING_ATTRIBUTE, "'" + key + "' is required");
        }
        return id;
    }

    /** The request id when given; else a hash of the record, so a resent batch is still recognised. */
    static String key(String name, Attrs a, Instant at) {
        String requestId = a.id("request_id");
        return requestId != null ? UsageRecord.requestKey(requestId)
                : "otel:" + Sanitizer.hash(name + at + a.canonical());
    }

    private static String errorKey(String name, Attrs a, Instant at) {
        return "err:" + Sanitizer.hash(name + at + a.canonical());
    }

    static Long whole(Double d) {
        return d == null ? null : Math.round(d);
    }

    private static String errorText(String error) {
        return error == null ? null : Sanitizer.truncate(Sanitizer.mask(error), Summaries.MAX);
    }
}
