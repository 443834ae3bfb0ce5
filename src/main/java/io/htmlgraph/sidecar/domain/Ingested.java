package io.htmlgraph.sidecar.domain;

/** Anything the ingest path hands the store's writer: a hook event or a spawner event. */
public sealed interface Ingested permits IngestEvent, SpawnerEvent {
    /** The session it belongs to. */
    String sessionId();
}
