package io.htmlgraph.sidecar.domain;

/** Counts over one session's events; token and cost figures are null until a source reported them. */
public record SessionTotals(long events, long toolCalls, long errors, long turns, Tokens tokens, Double costUsd) {

    /** Tokens by kind; {@code total} is the reported total or the sum of the kinds. */
    public record Tokens(Long input, Long output, Long cacheRead, Long cacheCreation, Long total) {
    }
}
