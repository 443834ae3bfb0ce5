package io.htmlgraph.sidecar.domain;

import java.util.Locale;

/**
 * Where ingested events come from: the {@code source} label of the ingest metrics. Each ingest route is registered
 * with its source, once ({@code hooks}: /api/hooks and /api/hooks/{name}, {@code envelopes}: /events,
 * {@code spawner}: /api/spawner-events, {@code otlp}: /v1/logs, /v1/metrics, /v1/traces).
 */
public enum IngestSource {
    HOOKS, ENVELOPES, SPAWNER, OTLP;

    /** The label value, e.g. {@code hooks}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
