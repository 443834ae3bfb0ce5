package io.htmlgraph.sidecar.domain;

/**
 * Anything handed to the store's single writer: a hook event, a spawner event, a change to a feature, usage from
 * telemetry or transcripts, or rows imported from an htmlgraph file.
 */
public sealed interface Ingested permits IngestEvent, SpawnerEvent, FeatureChange, UsageItem, ImportBatch {
}
