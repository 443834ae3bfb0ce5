package io.htmlgraph.sidecar.domain;

/** What a hook event does to the store; every hook name maps to one kind ({@link #OTHER} if unknown). */
public enum HookKind {
    SESSION_START("start"),
    SESSION_END("end"),
    USER_PROMPT("tool_call"),
    PRE_TOOL("tool_call"),
    POST_TOOL("tool_call"),
    POST_TOOL_FAILURE("tool_call"),
    PERMISSION_REQUEST("check_point"),
    NOTIFICATION("check_point"),
    SUBAGENT_START("start"),
    SUBAGENT_STOP("end"),
    STOP("completion"),
    STOP_FAILURE("completion"),
    OTHER("check_point");

    private final String eventType;

    HookKind(String eventType) {
        this.eventType = eventType;
    }

    /** htmlgraph's {@code event_type} for the row this kind creates. */
    public String eventType() {
        return eventType;
    }

    /** Whether this kind is one step of a tool call (paired by {@code tool_use_id}). */
    public boolean isToolCall() {
        return this == PRE_TOOL || this == POST_TOOL || this == POST_TOOL_FAILURE;
    }

    public static HookKind of(String hookEventName) {
        return switch (hookEventName) {
            case "SessionStart" -> SESSION_START;
            case "SessionEnd" -> SESSION_END;
            case "UserPromptSubmit" -> USER_PROMPT;
            case "PreToolUse" -> PRE_TOOL;
            case "PostToolUse" -> POST_TOOL;
            case "PostToolUseFailure", "PermissionDenied" -> POST_TOOL_FAILURE;
            case "PermissionRequest" -> PERMISSION_REQUEST;
            case "Notification" -> NOTIFICATION;
            case "SubagentStart" -> SUBAGENT_START;
            case "SubagentStop" -> SUBAGENT_STOP;
            case "Stop" -> STOP;
            case "StopFailure" -> STOP_FAILURE;
            default -> OTHER;
        };
    }
}
