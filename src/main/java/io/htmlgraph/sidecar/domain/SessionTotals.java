package io.htmlgraph.sidecar.domain;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Counts over one session's events; token and cost figures are null until a source reported them. {@code usage}
 * has them with their cost source, {@code by_model} per model; API requests not yet joined to a turn are included.
 * {@code by_tool} and {@code costliest_tool_calls} give each tool call its share of the API request that asked for it
 * (known from transcripts); the requests that asked for no tool (a turn's answer) are in neither.
 */
public record SessionTotals(long events, long toolCalls, long errors, long turns, Tokens tokens, Double costUsd,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Usage usage,
                            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ModelUsage> byModel,
                            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ToolUsage> byTool,
                            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ToolCallCost> costliestToolCalls) {

    /** One model's share of a session. */
    public record ModelUsage(String model, Usage usage) {
    }

    /** One tool's calls and the sum of their shares. */
    public record ToolUsage(String toolName, long calls, Usage usage) {
    }

    /**
     * A tool call's share of the API request that asked for it: {@code calls_in_request} calls shared that request,
     * {@code total_tokens} and {@code cost_usd} are its part; {@code event_id} is null until its hook arrives.
     */
    public record ToolCallCost(String eventId, String toolUseId, String toolName, String inputSummary,
                               String requestId, String model, long callsInRequest, Long totalTokens, Double costUsd,
                               String costSource) {
    }

    /** Tokens by kind; {@code total} is the reported total or the sum of the kinds. */
    public record Tokens(Long input, Long output, Long cacheRead, Long cacheCreation, Long total) {
    }
}
