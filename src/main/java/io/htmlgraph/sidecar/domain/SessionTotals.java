package io.htmlgraph.sidecar.domain;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Counts over one session's events; token and cost figures are null until a source reported them. {@code usage}
 * has them with their cost source, {@code by_model} per model; API requests not yet joined to a turn are included.
 */
public record SessionTotals(long events, long toolCalls, long errors, long turns, Tokens tokens, Double costUsd,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Usage usage,
                            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ModelUsage> byModel) {

    /** One model's share of a session. */
    public record ModelUsage(String model, Usage usage) {
    }

    /** Tokens by kind; {@code total} is the reported total or the sum of the kinds. */
    public record Tokens(Long input, Long output, Long cacheRead, Long cacheCreation, Long total) {
    }
}
