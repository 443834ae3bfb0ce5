package io.htmlgraph.sidecar.domain;

/**
 * A tool call and the API request whose answer asked for it: a {@code tool_use} block in that request's assistant
 * message of the transcript. Gives each tool call its share of the request's tokens and cost.
 */
public record ToolCallRequest(String sessionId, String toolUseId, String toolName, String requestKey)
        implements UsageItem {
}
