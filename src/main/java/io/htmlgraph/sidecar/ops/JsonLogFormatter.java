package io.htmlgraph.sidecar.ops;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One JSON object per line for log pipelines:
 * {@code {"time":"2026-11-30T20:56:42.463Z","level":"INFO","logger":"io.htmlgraph.sidecar.Main",
 * "message":"...","request_id":"...","error":"..."}} ({@code request_id} and {@code error} only when there are
 * some; {@code stack_trace} at debug).
 */
public final class JsonLogFormatter extends Formatter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final boolean debug;

    public JsonLogFormatter(boolean debug) {
        this.debug = debug;
    }

    @Override
    public String format(LogRecord record) {
        Map<String, String> line = new LinkedHashMap<>();
        line.put("time", TextLogFormatter.TIME.format(Instant.ofEpochMilli(record.getMillis())));
        line.put("level", record.getLevel().getName());
        line.put("logger", record.getLoggerName());
        line.put("message", formatMessage(record));
        RequestIds.current().ifPresent(id -> line.put("request_id", id));
        Throwable thrown = record.getThrown();
        if (thrown != null) {
            line.put("error", TextLogFormatter.oneLine(thrown));
            if (debug) {
                StringWriter trace = new StringWriter();
                thrown.printStackTrace(new PrintWriter(trace));
                line.put("stack_trace", trace.toString());
            }
        }
        try {
            return JSON.writeValueAsString(line) + "\n";
        } catch (JsonProcessingException e) {
            return "{\"level\":\"SEVERE\",\"message\":\"unformattable log record\"}\n";
        }
    }
}
