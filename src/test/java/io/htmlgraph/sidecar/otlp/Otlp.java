package io.htmlgraph.sidecar.otlp;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;

/**
 * Claude Code telemetry as its OTLP exporter sends it (names from hooks-reference.md §5): log records named by
 * their body {@code claude_code.<event>}, attribute {@code event.name}, the standard attributes, and the event's own,
 * with numbers sent as strings as Claude Code does. Builds OTLP JSON and the same as protobuf.
 */
public final class Otlp {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final Map<String, Map<String, Object>> records = new LinkedHashMap<>();
    private int sequence;

    /** A {@code claude_code.api_request} event. */
    public Otlp apiRequest(String session, String promptId, String requestId, String model, long input, long output,
                           long cacheRead, long cacheCreation, Double costUsd) {
        Map<String, Object> a = standard(session, "api_request");
        putIfNotNull(a, "prompt.id", promptId);
        putIfNotNull(a, "request_id", requestId);
        a.put("model", model);
        a.put("input_tokens", String.valueOf(input));
        a.put("output_tokens", String.valueOf(output));
        a.put("cache_read_tokens", String.valueOf(cacheRead));
        a.put("cache_creation_tokens", String.valueOf(cacheCreation));
        putIfNotNull(a, "cost_usd", costUsd == null ? null : String.valueOf(costUsd));
        a.put("duration_ms", "2345");
        a.put("query_source", "main");
        return add(a);
    }

    /** Any event with the standard attributes and {@code extra} ones. */
    public Otlp event(String session, String name, Map<String, Object> extra) {
        Map<String, Object> a = standard(session, name);
        a.putAll(extra);
        return add(a);
    }

    /** The last record's attributes, to change one. */
    public Map<String, Object> last() {
        return records.get(String.valueOf(sequence - 1));
    }

    private Otlp add(Map<String, Object> a) {
        records.put(String.valueOf(sequence++), a);
        return this;
    }

    private Map<String, Object> standard(String session, String name) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("event.name", name);
        a.put("event.timestamp", Instant.now().toString());
        a.put("event.sequence", (long) sequence);
        if (session != null) {
            a.put("session.id", session);
        }
        a.put("user.account_uuid", "acc-1");
        a.put("terminal.type", "xterm-256color");
        return a;
    }

    private static void putIfNotNull(Map<String, Object> a, String key, Object value) {
        if (value != null) {
            a.put(key, value);
        }
    }

    /** OTLP JSON ({@code ExportLogsServiceRequest}). */
    public String json() {
        ObjectNode root = F.objectNode();
        ObjectNode resourceLogs = root.putArray("resourceLogs").addObject();
        attributes(resourceLogs.putObject("resource").putArray("attributes"),
                   Map.of("service.name", "claude-code", "service.version", "2.1.200"));
        ObjectNode scopeLogs = resourceLogs.putArray("scopeLogs").addObject();
        scopeLogs.putObject("scope").put("name", "com.anthropic.claude_code.events").put("version", "2.1.200");
        ArrayNode logs = scopeLogs.putArray("logRecords");
        for (Map<String, Object> a : records.values()) {
            ObjectNode log = logs.addObject();
            long nanos = Instant.parse((String) a.get("event.timestamp")).toEpochMilli() * 1_000_000;
            log.put("timeUnixNano", String.valueOf(nanos)).put("observedTimeUnixNano", String.valueOf(nanos));
            log.put("severityNumber", 9).put("severityText", "INFO");
            log.putObject("body").put("stringValue", body(a));
            attributes(log.putArray("attributes"), a);
        }
        return root.toString();
    }

    /** Claude Code's records are named by their body; other CLIs' names are dotted already. */
    private static String body(Map<String, Object> a) {
        String name = (String) a.get("event.name");
        return name.contains(".") ? name : "claude_code." + name;
    }

    private static void attributes(ArrayNode target, Map<String, Object> a) {
        a.forEach((k, v) -> {
            ObjectNode value = target.addObject().put("key", k).putObject("value");
            switch (v) {
                case Long l -> value.put("intValue", String.valueOf(l));
                case Integer i -> value.put("intValue", i);
                case Double d -> value.put("doubleValue", d);
                case Boolean b -> value.put("boolValue", b);
                default -> value.put("stringValue", v.toString());
            }
        });
    }

    /** The same records as OTLP protobuf. */
    public byte[] protobuf() {
        ScopeLogs.Builder scope = ScopeLogs.newBuilder().setScope(InstrumentationScope.newBuilder()
                .setName("com.anthropic.claude_code.events").setVersion("2.1.200"));
        for (Map<String, Object> a : records.values()) {
            long nanos = Instant.parse((String) a.get("event.timestamp")).toEpochMilli() * 1_000_000;
            LogRecord.Builder log = LogRecord.newBuilder().setTimeUnixNano(nanos).setObservedTimeUnixNano(nanos)
                    .setBody(AnyValue.newBuilder().setStringValue(body(a)));
            a.forEach((k, v) -> log.addAttributes(kv(k, v)));
            scope.addLogRecords(log);
        }
        return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(kv("service.name", "claude-code")))
                .addScopeLogs(scope)).build().toByteArray();
    }

    static KeyValue kv(String key, Object v) {
        AnyValue.Builder value = AnyValue.newBuilder();
        switch (v) {
            case Long l -> value.setIntValue(l);
            case Integer i -> value.setIntValue(i);
            case Double d -> value.setDoubleValue(d);
            case Boolean b -> value.setBoolValue(b);
            default -> value.setStringValue(v.toString());
        }
        return KeyValue.newBuilder().setKey(key).setValue(value).build();
    }
}
