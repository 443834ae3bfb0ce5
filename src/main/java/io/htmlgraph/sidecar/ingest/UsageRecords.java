package io.htmlgraph.sidecar.ingest;

import java.time.Instant;
import java.util.Optional;

import io.htmlgraph.sidecar.domain.UsageRecord;

/** Builds usage records from the figures a source gives, computing the cost from the price table when it gives none. */
final class UsageRecords {
    /** No one request or run costs more: a figure past it is a broken or hostile sender, not a cost. */
    static final double MAX_COST_USD = 1_000_000_000;

    static final String MAIN_AGENT = "claude-code";

    private final Prices prices;

    UsageRecords(Prices prices) {
        this.prices = prices;
    }

    /** Figures of one API request as a source reported them; any may be null. */
    record Figures(String sessionId, String promptId, String agentKey, String agentName, String querySource,
                   String model, String requestId, long input, long output, long cacheRead, long cacheWrite,
                   long cacheWrite1h, Double costUsd, Long durationMs, Instant at, String featureId) {
    }

    /** A request's usage; {@code key} dedupes (the request id when known). */
    UsageRecord request(String key, String source, Figures f) {
        Double cost = f.costUsd();
        String costSource = source;
        if (cost == null) {
            Optional<Double> computed = prices.cost(f.model(), f.input(), f.output(), f.cacheRead(), f.cacheWrite(),
                                                    f.cacheWrite1h());
            cost = computed.orElse(null);
            costSource = computed.isPresent() ? "computed" : null;
        }
        return new UsageRecord(key, false, source, costSource, f.sessionId(), f.promptId(),
                f.agentKey() == null ? "" : f.agentKey(), f.agentName() == null ? MAIN_AGENT : f.agentName(),
                f.querySource(), f.model(), f.requestId(), f.input(), f.output(), f.cacheRead(), f.cacheWrite(), cost,
                f.durationMs(), null, f.at(), f.featureId());
    }

    /** An API error: no tokens, an error on its turn. */
    static UsageRecord error(String key, String source, Figures f, String error) {
        return new UsageRecord(key, true, source, null, f.sessionId(), f.promptId(),
                f.agentKey() == null ? "" : f.agentKey(), f.agentName() == null ? MAIN_AGENT : f.agentName(),
                f.querySource(), f.model(), f.requestId(), 0, 0, 0, 0, null, f.durationMs(),
                error == null ? null : Sanitizer.truncate(Sanitizer.mask(error), Summaries.MAX), f.at(), null);
    }
}
