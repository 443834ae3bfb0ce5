package io.htmlgraph.sidecar.domain;

import java.time.Instant;

/** {@code claude_code.tool_result} (or a {@code claude_code.tool} span): enriches the tool call of the same id. */
public record ToolResult(String sessionId, String toolUseId, Boolean success, Long durationMs, String error,
                         Instant at) implements UsageItem {
}
