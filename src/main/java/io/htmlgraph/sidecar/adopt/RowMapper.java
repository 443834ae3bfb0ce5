package io.htmlgraph.sidecar.adopt;

import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.htmlgraph.sidecar.domain.EventStatus;
import io.htmlgraph.sidecar.domain.ImportBatch.Event;
import io.htmlgraph.sidecar.domain.ImportBatch.Role;
import io.htmlgraph.sidecar.domain.Timestamps;
import io.htmlgraph.sidecar.ingest.TextCleaner;
import io.htmlgraph.sidecar.store.SourceRow;

/**
 * Maps one htmlgraph {@code agent_events} row to our vocabulary: what it is (prompt, Stop, a tool call's start or
 * result, a record), its real status ({@code recorded} and {@code 0.0} become success, or error when htmlgraph noted
 * {@code is_error}), its time in our format, a delegation's target from the stored input when the row has none,
 * and the fingerprint that ties the rows of one tool call together. Text is masked like hook text.
 */
final class RowMapper {
    static final int MAX_ID = 256;
    private static final Set<String> ERROR = Set.of("error", "failed", "failure", "timeout", "cancelled", "denied");
    private static final Set<String> STARTED = Set.of("started", "pending", "in_progress", "running");
    private static final Set<String> RECORDS = Set.of("start", "end", "check_point", "completion");
    private static final Pattern DELEGATION_SUMMARY = Pattern.compile("^(?:Task|Agent)\\s*\\(([^)]{1,200})\\)");

    private final TextCleaner cleaner;
    private final JsonText json;
    private final Instant fallbackTime;
    private final EventIds ids;

    RowMapper(TextCleaner cleaner, JsonText json, Instant fallbackTime, EventIds ids) {
        this.cleaner = cleaner;
        this.json = json;
        this.fallbackTime = fallbackTime;
        this.ids = ids;
    }

    Event event(SourceRow r) {
        String tool = r.text("tool_name");
        String sourceType = lower(r.text("event_type"));
        String agentId = id(r.text("agent_id") == null ? "claude-code" : r.text("agent_id"));
        String input = r.text("input_summary");
        Role role = role(tool, sourceType, lower(r.text("status")));
        boolean delegation = "Task".equals(tool) || "Agent".equals(tool) || "delegation".equals(sourceType)
                || "task_delegation".equals(sourceType);
        boolean error = role == Role.TOOL_RESULT && isError(r, sourceType); // only a result's hook and status say
        String status = role == Role.TOOL_RESULT ? (error ? EventStatus.ERROR : EventStatus.SUCCESS).value() : null;
        Instant at = EventIds.time(r);
        String sourceId = r.text("event_id");
        String eventId = ids.row(at, sourceId != null ? sourceId : "row-" + r.rowid());
        String parent = r.text("parent_event_id");
        return new Event(eventId, role, sessionId(r.text("session_id")), agentId,
                "claude-code".equals(agentId) ? "" : agentId, hookName(role, tool, sourceType, error),
                eventType(role, tool, delegation), tool, subagentType(r, tool, delegation, input), status,
                r.text("model"), cleaner.text(input), cleaner.text(r.text("output_summary")),
                Timestamps.format(at != null ? at : fallbackTime), duration(r.value("execution_duration_seconds")),
                parent == null ? null : ids.parent(parent), fingerprint(role, tool, agentId, input),
                cleaner.payload(r.text("context")));
    }

    private static Role role(String tool, String sourceType, String status) {
        if ("UserQuery".equals(tool)) {
            return Role.TURN;
        }
        if ("Stop".equals(tool)) {
            return Role.TURN_END;
        }
        if ("SubagentStop".equals(tool) || (tool == null && RECORDS.contains(sourceType))) {
            return Role.RECORD;
        }
        return STARTED.contains(status) ? Role.TOOL_START : Role.TOOL_RESULT;
    }

    private static String hookName(Role role, String tool, String sourceType, boolean error) {
        return switch (role) {
            case TURN -> "UserPromptSubmit";
            case TURN_END -> "Stop";
            case TOOL_START -> "PreToolUse";
            case TOOL_RESULT -> error ? "PostToolUseFailure" : "PostToolUse";
            case RECORD -> tool != null ? tool : sourceType;
        };
    }

    private static String eventType(Role role, String tool, boolean delegation) {
        return switch (role) {
            case TURN -> "tool_call";
            case TURN_END -> "completion";
            case RECORD -> "SubagentStop".equals(tool) ? "end" : "check_point";
            case TOOL_START, TOOL_RESULT -> delegation ? "delegation" : "tool_call";
        };
    }

    /** htmlgraph stored {@code recorded} for failures too: its context's {@code is_error} says what happened. */
    private boolean isError(SourceRow r, String sourceType) {
        if ("error".equals(sourceType) || ERROR.contains(lower(r.text("status")))) {
            return true;
        }
        String context = r.text("context");
        return context != null && context.contains("\"is_error\"") && json.flag(context, "is_error");
    }

    /** The row's subagent type, else the one in its input ({@code Task (Explore): …} or JSON), else null. */
    private String subagentType(SourceRow r, String tool, boolean delegation, String input) {
        String stored = r.text("subagent_type");
        if (stored != null && !"unknown".equalsIgnoreCase(stored)) {
            return stored;
        }
        if ((!delegation && !"SubagentStop".equals(tool)) || input == null) {
            return null;
        }
        return delegationTarget(input, json);
    }

    /** A delegation's target named in stored text: {@code Task (Explore): …}, or a JSON {@code subagent_type}. */
    static String delegationTarget(String text, JsonText json) {
        Matcher m = DELEGATION_SUMMARY.matcher(text);
        if (m.find()) {
            return m.group(1).trim();
        }
        return json.object(text).map(o -> o.path("subagent_type").asText(null))
                .filter(s -> !s.isBlank() && !"unknown".equalsIgnoreCase(s)).orElse(null);
    }

    /** Tool, agent and input with JSON keys sorted: the PreToolUse and PostToolUse rows of a call agree on it. */
    private String fingerprint(Role role, String tool, String agentId, String input) {
        if (role != Role.TOOL_START && role != Role.TOOL_RESULT) {
            return null;
        }
        String canonical = input == null ? "" : json.object(input).map(o -> {
            JsonNode inner = o.path("input");
            return json.canonical(inner.isObject() && o.has("name") ? inner : o);
        }).orElse(input);
        return "hg:" + cleaner.hash(tool + '\u0000' + agentId + '\u0000' + canonical);
    }

    String time(SourceRow r, String column, String fallbackColumn) {
        Instant at = SourceTimes.parse(r.value(column));
        if (at == null && fallbackColumn != null) {
            at = SourceTimes.parse(r.value(fallbackColumn));
        }
        return Timestamps.format(at != null ? at : fallbackTime);
    }

    String optionalTime(SourceRow r, String column, String fallbackColumn) {
        Instant at = SourceTimes.parse(r.value(column));
        if (at == null && fallbackColumn != null) {
            at = SourceTimes.parse(r.value(fallbackColumn));
        }
        return at == null ? null : Timestamps.format(at);
    }

    /** The source's measured duration; 0 (its default) and text in the column (rows written askew) mean unknown. */
    private static Double duration(Object value) {
        return value instanceof Number n && n.doubleValue() > 0 ? n.doubleValue() : null;
    }

    static String sessionId(String id) {
        return id == null ? "htmlgraph-unknown" : id(id);
    }

    static String id(String id) {
        return id.length() > MAX_ID - 3 ? id.substring(0, MAX_ID - 3) : id;
    }

    static String lower(String text) {
        return text == null ? "" : text.toLowerCase(Locale.ROOT);
    }
}
