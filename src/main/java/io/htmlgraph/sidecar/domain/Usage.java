package io.htmlgraph.sidecar.domain;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * Tokens by kind and cost of a row, turn, session, agent, model or feature. {@code costSource} says where the USD
 * figure comes from: {@code telemetry} (Claude Code's own {@code cost_usd}), {@code transcript} ({@code costUSD}),
 * {@code computed} (tokens × the price table), {@code spawner} (the spawner's report), or {@code mixed}.
 * Null figures: no source has reported any.
 */
public record Usage(Long inputTokens, Long outputTokens, Long cacheReadTokens, Long cacheCreationTokens,
                    Long totalTokens, Double costUsd, String costSource) {
    public static final Usage NONE = new Usage(null, null, null, null, null, null, null);

    /** Both together; sources that differ become {@code mixed}. */
    public Usage plus(Usage o) {
        if (o == null || o.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return o;
        }
        return new Usage(add(inputTokens, o.inputTokens), add(outputTokens, o.outputTokens),
                add(cacheReadTokens, o.cacheReadTokens), add(cacheCreationTokens, o.cacheCreationTokens),
                add(totalTokens, o.totalTokens), costUsd == null ? o.costUsd : o.costUsd == null ? costUsd
                        : Math.round((costUsd + o.costUsd) * 1e9) / 1e9,
                costSource == null ? o.costSource : o.costSource == null || costSource.equals(o.costSource)
                        ? costSource : "mixed");
    }

    /** Whether nothing was reported. */
    @JsonIgnore
    public boolean isEmpty() {
        return totalTokens == null && costUsd == null;
    }

    private static Long add(Long a, Long b) {
        return a == null ? b : b == null ? a : a + b;
    }
}
