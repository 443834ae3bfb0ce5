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
                add(totalTokens, o.totalTokens), addCost(costUsd, o.costUsd),
                costSource == null ? o.costSource : o.costSource == null || costSource.equals(o.costSource)
                        ? costSource : "mixed");
    }

    /** Whether nothing was reported. */
    @JsonIgnore
    public boolean isEmpty() {
        return totalTokens == null && costUsd == null;
    }

    // Not one conditional expression each: its type would be the primitive one, and a null would be unboxed (a
    // figure reported as a cost without tokens, or tokens without a cost, failed the sum with a NullPointerException).
    private static Long add(Long a, Long b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : Long.valueOf(a + b);
    }

    private static Double addCost(Double a, Double b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : Double.valueOf(Math.round((a + b) * 1e9) / 1e9);
    }
}
