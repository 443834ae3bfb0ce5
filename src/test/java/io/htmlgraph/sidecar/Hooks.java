package io.htmlgraph.sidecar;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Claude Code hook payloads as Claude Code sends them (fields from hooks-reference.md), for tests. */
public final class Hooks {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Hooks() {
    }

    public static ObjectNode base(String session, String hook) {
        return F.objectNode().put("session_id", session)
                .put("transcript_path", "/home/dev/.claude/projects/app/" + session + ".jsonl")
                .put("cwd", "/home/dev/app").put("permission_mode", "default").put("hook_event_name", hook);
    }

    public static String sessionStart(String session, String model) {
        return base(session, "SessionStart").put("source", "startup").put("model", model).toString();
    }

    public static String sessionEnd(String session, String reason) {
        return base(session, "SessionEnd").put("reason", reason).toString();
    }

    public static String prompt(String session, String prompt) {
        return base(session, "UserPromptSubmit").put("prompt", prompt).toString();
    }

    public static String stop(String session, String lastMessage) {
        return base(session, "Stop").put("stop_hook_active", false).put("last_assistant_message", lastMessage)
                .toString();
    }

    public static ObjectNode pre(String session, String tool, String useId, ObjectNode input) {
        ObjectNode event = base(session, "PreToolUse").put("tool_name", tool).put("tool_use_id", useId);
        event.set("tool_input", input);
        return event;
    }

    public static ObjectNode post(String session, String tool, String useId, ObjectNode input, long durationMs,
                                  String stdout) {
        ObjectNode event = base(session, "PostToolUse").put("tool_name", tool).put("tool_use_id", useId)
                .put("duration_ms", durationMs);
        event.set("tool_input", input);
        event.set("tool_response", F.objectNode().put("stdout", stdout).put("stderr", "").put("interrupted", false));
        return event;
    }

    public static ObjectNode failure(String session, String tool, String useId, ObjectNode input, String error) {
        ObjectNode event = base(session, "PostToolUseFailure").put("tool_name", tool).put("tool_use_id", useId)
                .put("error", error).put("is_interrupt", false).put("duration_ms", 1200);
        event.set("tool_input", input);
        return event;
    }

    public static ObjectNode bash(String command) {
        return F.objectNode().put("command", command).put("description", "run " + command);
    }

    public static ObjectNode file(String path) {
        return F.objectNode().put("file_path", path);
    }

    public static ObjectNode agentInput(String type, String description) {
        return F.objectNode().put("description", description).put("prompt", "Please " + description)
                .put("subagent_type", type);
    }

    public static ObjectNode agentResponse(String status, String text) {
        ObjectNode response = F.objectNode().put("status", status);
        response.set("content", F.arrayNode().add(F.objectNode().put("type", "text").put("text", text)));
        return response;
    }

    public static String subagentStart(String session, String agentId, String type) {
        return base(session, "SubagentStart").put("agent_id", agentId).put("agent_type", type).toString();
    }

    public static String subagentStop(String session, String agentId, String type, String last) {
        return base(session, "SubagentStop").put("agent_id", agentId).put("agent_type", type)
                .put("stop_hook_active", false).put("last_assistant_message", last).toString();
    }

    public static String notification(String session, String type, String message) {
        return base(session, "Notification").put("notification_type", type).put("message", message).toString();
    }

    /** The same payload as sent from inside a subagent. */
    public static String inSubagent(ObjectNode event, String agentId, String type) {
        return event.put("agent_id", agentId).put("agent_type", type).toString();
    }
}
