package io.htmlgraph.sidecar.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.htmlgraph.sidecar.domain.HookKind;

/** The one-line {@code input_summary} and {@code output_summary} htmlgraph shows for an event. */
final class Summaries {
    static final int MAX = 500;

    private Summaries() {
    }

    static String input(HookKind kind, JsonNode event) {
        String text = switch (kind) {
            case USER_PROMPT -> text(event, "prompt");
            case PRE_TOOL, POST_TOOL, POST_TOOL_FAILURE, PERMISSION_REQUEST -> tool(event);
            case NOTIFICATION -> text(event, "message");
            case SESSION_START -> join("source", text(event, "source"), "model", text(event, "model"));
            case SESSION_END -> join("reason", text(event, "reason"), null, null);
            case SUBAGENT_START, SUBAGENT_STOP -> text(event, "agent_type");
            default -> event.has("tool_name") ? tool(event) : null;
        };
        return cap(text);
    }

    static String output(HookKind kind, JsonNode event) {
        String text = switch (kind) {
            case POST_TOOL -> response(event.get("tool_response"));
            case POST_TOOL_FAILURE -> text(event, "error") != null ? text(event, "error")
                    : "permission denied: " + text(event, "reason");
            case STOP, SUBAGENT_STOP -> text(event, "last_assistant_message");
            case STOP_FAILURE -> text(event, "error_details") != null
                    ? text(event, "error") + ": " + text(event, "error_details") : text(event, "error");
            default -> null;
        };
        return cap(text);
    }

    /** {@code Bash: ls -la}, {@code Read: /src/App.java}, {@code Task (Explore): find the parser}. */
    private static String tool(JsonNode event) {
        String name = text(event, "tool_name");
        JsonNode in = event.path("tool_input");
        String detail = switch (name == null ? "" : name) {
            case "Bash", "PowerShell" -> text(in, "command");
            case "Read", "Write", "Edit", "MultiEdit", "NotebookEdit" -> text(in, "file_path");
            case "Glob", "Grep" -> text(in, "pattern");
            case "WebFetch" -> text(in, "url");
            case "WebSearch" -> text(in, "query");
            case "Agent", "Task" -> text(in, "description");
            default -> in.isMissingNode() || in.isNull() ? null : in.toString();
        };
        if ("Agent".equals(name) || "Task".equals(name)) {
            String type = text(in, "subagent_type");
            name = name + " (" + (type == null ? "general-purpose" : type) + ")";
        }
        return detail == null ? name : name + ": " + detail;
    }

    /** A tool response's text: plain text, Bash stdout/stderr, a subagent's content, else compact JSON. */
    private static String response(JsonNode response) {
        if (response == null || response.isNull() || response.isMissingNode()) {
            return null;
        }
        if (response.isTextual()) {
            return response.textValue();
        }
        for (String key : new String[] {"stdout", "output", "result", "message"}) {
            String value = text(response, key);
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        String stderr = text(response, "stderr");
        if (stderr != null && !stderr.isEmpty()) {
            return stderr;
        }
        JsonNode content = response.path("content");
        if (content.isArray() && !content.isEmpty() && content.get(0).path("text").isTextual()) {
            return content.get(0).path("text").textValue();
        }
        return response.toString();
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.textValue() : null;
    }

    private static String join(String k1, String v1, String k2, String v2) {
        StringBuilder out = new StringBuilder();
        if (v1 != null) {
            out.append(k1).append('=').append(v1);
        }
        if (v2 != null) {
            out.append(out.isEmpty() ? "" : " ").append(k2).append('=').append(v2);
        }
        return out.isEmpty() ? null : out.toString();
    }

    private static String cap(String text) {
        if (text == null) {
            return null;
        }
        String flat = text.strip();
        return flat.length() <= MAX ? flat : flat.substring(0, MAX - 1) + "…";
    }
}
