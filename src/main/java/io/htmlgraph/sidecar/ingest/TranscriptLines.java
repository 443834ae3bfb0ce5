package io.htmlgraph.sidecar.ingest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.htmlgraph.sidecar.domain.ToolCallRequest;
import io.htmlgraph.sidecar.domain.UsageItem;
import io.htmlgraph.sidecar.domain.UsageRecord;

/**
 * The usage in transcript lines: assistant messages with {@code message.usage}, and the tool calls ({@code tool_use}
 * blocks) each asks for. A request is keyed by its {@code requestId} (as telemetry's {@code request_id}, so both
 * sources count it once), else its {@code message.id}; the lines of one streamed message repeat it and count once.
 * Unreadable lines are skipped.
 */
final class TranscriptLines {
    private final ObjectMapper mapper;
    private final UsageRecords usage;

    TranscriptLines(ObjectMapper mapper, UsageRecords usage) {
        this.mapper = mapper;
        this.usage = usage;
    }

    /** The usage records of the complete lines in {@code bytes[0, length)}. */
    List<UsageItem> usage(byte[] bytes, int length, String sessionId, String agentKey, String agentType) {
        List<UsageItem> items = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < length; i++) {
            if (bytes[i] == '\n') {
                if (i > start) {
                    line(new String(bytes, start, i - start, StandardCharsets.UTF_8), sessionId, agentKey, agentType,
                         items);
                }
                start = i + 1;
            }
        }
        return items;
    }

    /** Adds the line's request, and a link from each tool call its content asks for to that request. */
    private void line(String text, String hookSession, String hookAgent, String agentType, List<UsageItem> items) {
        JsonNode line;
        try {
            line = mapper.readTree(text);
        } catch (IOException e) {
            return;
        }
        JsonNode message = line == null ? null : line.path("message");
        if (message == null || !message.path("usage").isObject()) {
            return;
        }
        JsonNode u = message.path("usage");
        String requestId = text(line, "requestId");
        String messageId = text(message, "id");
        long input = count(u, "input_tokens");
        long output = count(u, "output_tokens");
        long cacheRead = count(u, "cache_read_input_tokens");
        long cacheWrite = count(u, "cache_creation_input_tokens");
        String model = text(message, "model");
        if (requestId == null && messageId == null || input + output + cacheRead + cacheWrite == 0
                || "<synthetic>".equals(model)) {
            return;
        }
        String session = text(line, "sessionId") != null ? text(line, "sessionId") : hookSession;
        String agentKey = !hookAgent.isEmpty() ? hookAgent
                : line.path("isSidechain").asBoolean(false) && text(line, "agentId") != null ? text(line, "agentId")
                : "";
        String agentName = agentKey.isEmpty() ? UsageRecords.MAIN_AGENT : agentType != null ? agentType : "subagent";
        Double cost = line.path("costUSD").isNumber() ? line.path("costUSD").doubleValue() : null;
        UsageRecords.Figures figures = new UsageRecords.Figures(session, text(line, "promptId"), agentKey, agentName,
                agentKey.isEmpty() ? "main" : "subagent", model, requestId, input, output, cacheRead, cacheWrite,
                count(u.path("cache_creation"), "ephemeral_1h_input_tokens"), cost, null, at(line), null);
        String key = requestId != null ? UsageRecord.requestKey(requestId) : "msg:" + messageId;
        items.add(usage.request(key, "transcript", figures));
        for (JsonNode block : message.path("content")) {
            String toolUseId = text(block, "id");
            if ("tool_use".equals(text(block, "type")) && toolUseId != null && session != null) {
                String name = text(block, "name");
                items.add(new ToolCallRequest(session, toolUseId, name != null ? name : "unknown", key));
            }
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isTextual() && !v.textValue().isBlank() && v.textValue().length() <= Fields.MAX_ID ? v.textValue()
                : null;
    }

    private static long count(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.canConvertToLong() && v.longValue() > 0 ? v.longValue() : 0;
    }

    private static Instant at(JsonNode line) {
        try {
            String ts = text(line, "timestamp");
            return ts == null ? Instant.now() : Instant.parse(ts);
        } catch (DateTimeParseException e) {
            return Instant.now();
        }
    }
}
