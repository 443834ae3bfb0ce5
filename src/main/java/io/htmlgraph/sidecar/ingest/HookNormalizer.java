package io.htmlgraph.sidecar.ingest;

import java.time.Instant;

import io.htmlgraph.sidecar.domain.BadInputException;
import io.htmlgraph.sidecar.domain.CallPairs;
import io.htmlgraph.sidecar.domain.ErrorCode;
import io.htmlgraph.sidecar.domain.HookKind;
import io.htmlgraph.sidecar.domain.IngestEvent;
import io.htmlgraph.sidecar.domain.WaitingReason;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns one Claude Code hook payload into an {@link IngestEvent}: checks the required ids and the types of the
 * fields it reads, cleans the text, and derives summaries and the agent's waiting state. Unknown fields are kept.
 */
public final class HookNormalizer {
    private static final Pattern EVENT_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.:-]{0,63}");
    /**
     * The fields this class reads, with the JSON type each must have when present and not null (an array: iterating
     * an immutable map makes an entry object per field, for every event).
     */
    private static final FieldType[] FIELD_TYPES = {
        new FieldType("tool_name", JsonNodeType.STRING), new FieldType("tool_use_id", JsonNodeType.STRING),
        new FieldType("prompt_id", JsonNodeType.STRING), new FieldType("agent_id", JsonNodeType.STRING),
        new FieldType("agent_type", JsonNodeType.STRING), new FieldType("prompt", JsonNodeType.STRING),
        new FieldType("cwd", JsonNodeType.STRING), new FieldType("transcript_path", JsonNodeType.STRING),
        new FieldType("permission_mode", JsonNodeType.STRING), new FieldType("notification_type", JsonNodeType.STRING),
        new FieldType("message", JsonNodeType.STRING), new FieldType("reason", JsonNodeType.STRING),
        new FieldType("source", JsonNodeType.STRING), new FieldType("model", JsonNodeType.STRING),
        new FieldType("error", JsonNodeType.STRING), new FieldType("last_assistant_message", JsonNodeType.STRING),
        new FieldType("duration_ms", JsonNodeType.NUMBER), new FieldType("is_interrupt", JsonNodeType.BOOLEAN),
        new FieldType("stop_hook_active", JsonNodeType.BOOLEAN), new FieldType("tool_input", JsonNodeType.OBJECT),
        new FieldType("feature_id", JsonNodeType.STRING), new FieldType("agent_transcript_path", JsonNodeType.STRING)};

    private record FieldType(String field, JsonNodeType type) {
    }

    private final Sanitizer sanitizer;

    HookNormalizer(Sanitizer sanitizer) {
        this.sanitizer = sanitizer;
    }

    /**
     * @param event         the payload (changed in place by cleaning)
     * @param pathEventName the hook name from the URL, if the request named one
     */
    IngestEvent normalize(ObjectNode event, String pathEventName, String source, Instant at, String sourceApp) {
        return normalize(event, pathEventName, source, at, sourceApp, null, new RequestTexts(), false);
    }

    /**
     * A hook of a request to {@code POST /api/hooks}: as above, with the request's {@code X-Htmlgraph-Feature}
     * ({@code featureHeader}, used when the payload has none), keeping one copy of the texts that the request's events
     * repeat in {@code repeated}. A call's start that its end may follow in the request ({@link CallPairs#mayStart})
     * comes without its payload, which {@link RequestEvents} writes only if no end follows.
     */
    IngestEvent normalizeInRequest(ObjectNode event, String pathEventName, Instant at, String featureHeader,
                                   RequestTexts repeated) {
        return normalize(event, pathEventName, "hook", at, null, featureHeader, repeated, true);
    }

    private IngestEvent normalize(ObjectNode event, String pathEventName, String source, Instant at, String sourceApp,
                                  String featureHeader, RequestTexts repeated, boolean startPayloadLater) {
        String sessionId = repeated.of(Fields.requiredText(event, "session_id"));
        String name = repeated.of(eventName(event, pathEventName));
        for (FieldType check : FIELD_TYPES) {
            Fields.checkType(event, check.field(), check.type());
        }
        String toolUseId = Fields.optionalId(event, "tool_use_id");
        String promptId = Fields.optionalId(event, "prompt_id");
        String agentKey = Fields.optionalId(event, "agent_id");
        String featureId = Fields.optionalId(event, "feature_id");
        featureId = featureId != null ? featureId : featureHeader;
        String agentTranscript = Summaries.text(event, "agent_transcript_path");
        HookKind kind = HookKind.of(name);
        Long durationMs = Fields.millis(event, "duration_ms", Fields.MAX_DURATION_MS);

        sanitizer.clean(event);
        String toolName = repeated.of(Identifiers.clean("tool_name", Summaries.text(event, "tool_name")));
        JsonNode toolInput = event.path("tool_input");
        boolean delegation = "Agent".equals(toolName) || "Task".equals(toolName);
        String payload = startPayloadLater && CallPairs.mayStart(kind, toolUseId, delegation) ? null
                : sanitizer.payload(event);
        String agentType = Identifiers.clean("agent_type", blankToNull(Summaries.text(event, "agent_type")));
        return new IngestEvent(source, at, sessionId, name, kind,
                agentKey == null ? "" : agentKey,
                agentType,
                toolName,
                toolUseId,
                promptId,
                delegation ? subagentType(toolInput) : null,
                model(event, delegation),
                Summaries.input(kind, event),
                Summaries.output(kind, event),
                durationMs,
                waitingReason(kind, event),
                delegation && "async_launched".equals(event.path("tool_response").path("status").asText(null)),
                sessionFacts(kind, event, sourceApp, repeated),
                payload,
                kind.isToolCall() && toolUseId != null ? null : Sanitizer.hash(name + '\n' + payload),
                featureId,
                agentTranscript);
    }

    private static String eventName(ObjectNode event, String pathEventName) {
        JsonNode value = event.get("hook_event_name");
        if ((value == null || value.isNull()) && pathEventName == null) {
            throw new BadInputException(ErrorCode.MISSING_FIELD, "'hook_event_name' is required");
        }
        if (value != null && !value.isNull() && !value.isTextual()) {
            throw new BadInputException(ErrorCode.INVALID_FIELD, "'hook_event_name' must be a string");
        }
        String name = Identifiers.clean("hook_event_name",
                value == null || value.isNull() ? pathEventName : value.textValue());
        if (pathEventName != null && !pathEventName.equals(name)) {
            throw new BadInputException(ErrorCode.INVALID_FIELD,
                    "'hook_event_name' is '" + name + "' but the URL names '" + pathEventName + "'");
        }
        // a name of a known kind matches by construction; the pattern is for the others (a regex per hook was ~1 %
        // of the hook path's CPU under the C1-only JIT)
        if (HookKind.of(name) == HookKind.OTHER && !EVENT_NAME.matcher(name).matches()) {
            throw new BadInputException(ErrorCode.INVALID_FIELD,
                    "'hook_event_name' must be a hook name like PreToolUse (letters, digits, _ . : -; at most 64)");
        }
        return name;
    }

    private static String subagentType(JsonNode toolInput) {
        String type = Identifiers.clean("subagent_type", blankToNull(Summaries.text(toolInput, "subagent_type")));
        return type == null ? "general-purpose" : type;
    }

    private static String model(JsonNode event, boolean delegation) {
        if (delegation) {
            String resolved = Summaries.text(event.path("tool_response"), "resolvedModel");
            return Identifiers.clean("model",
                    blankToNull(resolved != null ? resolved : Summaries.text(event.path("tool_input"), "model")));
        }
        return Identifiers.clean("model", blankToNull(Summaries.text(event, "model")));
    }

    /** {@code permission} or {@code input} when the event says the agent now waits for a human. */
    private static String waitingReason(HookKind kind, JsonNode event) {
        if (kind == HookKind.PERMISSION_REQUEST) {
            return WaitingReason.PERMISSION.value();
        }
        if (kind != HookKind.NOTIFICATION) {
            return null;
        }
        String type = Summaries.text(event, "notification_type");
        if (type != null) {
            return switch (type) {
                case "permission_prompt" -> WaitingReason.PERMISSION.value();
                case "idle_prompt", "agent_needs_input", "elicitation_dialog",
                        "elicitation_url_dialog" -> WaitingReason.INPUT.value();
                default -> null;
            };
        }
        String message = String.valueOf(Summaries.text(event, "message")).toLowerCase();
        if (message.contains("permission")) {
            return WaitingReason.PERMISSION.value();
        }
        return message.contains("waiting for your input") ? WaitingReason.INPUT.value() : null;
    }

    private static IngestEvent.SessionFacts sessionFacts(HookKind kind, JsonNode event, String sourceApp,
                                                         RequestTexts repeated) {
        boolean start = kind == HookKind.SESSION_START;
        return new IngestEvent.SessionFacts(
                start ? Summaries.text(event, "source") : null,
                start ? blankToNull(Summaries.text(event, "model")) : null,
                repeated.of(Summaries.text(event, "cwd")),
                repeated.of(Summaries.text(event, "transcript_path")),
                repeated.of(Summaries.text(event, "permission_mode")),
                kind == HookKind.SESSION_END ? Summaries.text(event, "reason") : null,
                sourceApp);
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
