package io.htmlgraph.sidecar.domain;

import java.time.Instant;

/**
 * One event of a headless spawner run (gemini, codex, copilot, claude …), as htmlgraph publishes them:
 * {@code {event_type, spawner_type, session_id, parent_event_id, data{…}}}. All run fields may be null.
 *
 * @param tokens        {@code data.tokens_used} and, when given, {@code data.input_tokens}, {@code output_tokens},
 *                      {@code cache_read_tokens}, {@code cache_creation_tokens}
 * @param runId         {@code data.run_id} when the spawner names its run; else the open run of that type is meant
 * @param data          the cleaned {@code data} object as JSON, kept in {@code live_events}
 * @param payloadHash   hash of the whole event, to drop redeliveries
 * @param featureId     the feature the run works for: {@code feature_id} (top level or in {@code data}), else the
 *                      request's {@code X-Htmlgraph-Feature} header; null when neither names one
 */
public record SpawnerEvent(Instant at,
                           String sessionId,
                           Type type,
                           String spawnerType,
                           String parentEventId,
                           String runId,
                           String promptPreview,
                           String detail,
                           Boolean success,
                           Double durationSeconds,
                           SessionTotals.Tokens tokens,
                           Double costUsd,
                           String model,
                           String data,
                           String payloadHash,
                           String featureId) implements Ingested {

    /** The five event types of a run. */
    public enum Type {
        START("spawner_start"), PHASE("spawner_phase"), TOOL_USE("spawner_tool_use"), MESSAGE("spawner_message"),
        COMPLETE("spawner_complete");

        private final String wire;

        Type(String wire) {
            this.wire = wire;
        }

        /** The name on the wire, e.g. {@code spawner_start}. */
        public String wire() {
            return wire;
        }

        /** The type for a wire name, or null. */
        public static Type of(String wire) {
            for (Type type : values()) {
                if (type.wire.equals(wire)) {
                    return type;
                }
            }
            return null;
        }
    }
}
