package io.htmlgraph.sidecar.domain;

/**
 * One entry of the live stream, in sequence order: an event row as it is now, or a spawner event as received.
 * Exactly one of {@code event} and {@code spawner} is set.
 */
public record Change(long sequence, EventView event, SpawnerMessage spawner) {

    /** A spawner event ({@code live_events}); {@code data} is the stored JSON text. */
    public record SpawnerMessage(long liveEventId, String eventType, String spawnerType, String parentEventId,
                                 String sessionId, String timestamp, String data, String runEventId) {
    }
}
