package io.htmlgraph.sidecar.domain;

/** Anything handed to the store's single writer: a hook event, a spawner event, or a change to a feature. */
public sealed interface Ingested permits IngestEvent, SpawnerEvent, FeatureChange, UsageItem {
}
