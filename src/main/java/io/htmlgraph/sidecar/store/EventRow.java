package io.htmlgraph.sidecar.store;

import java.util.Objects;

/**
 * One row of {@code agent_events} as inserted: the single definition of what a new event row holds, built by
 * {@link #builder()} wherever rows are made (hooks, spawner runs, imports) and stored by {@link EventTable}, so that a
 * forgotten column fails at build time with its name rather than at run time as a missing statement parameter.
 */
public record EventRow(String eventId, long seq, String sessionId, String agentId, String agentType, String agentKey,
                String source, String hookEventName, String eventType, String toolName, String toolUseId,
                String promptId, String parentEventId, String subagentType, String spawnerType, String status,
                String model, String inputSummary, String outputSummary, String timestamp, String endedAt,
                Double duration, String payload, String payloadHash, String now, String featureId,
                String finishedBy) {
    public EventRow {
        Objects.requireNonNull(eventId, "event_id");
        Objects.requireNonNull(sessionId, "session_id");
        Objects.requireNonNull(agentId, "agent_id");
        Objects.requireNonNull(agentKey, "agent_key");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(eventType, "event_type");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(now, "now");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Fills a row column by column; {@link #build()} checks that the required ones are there. */
    public static final class Builder {
        private String eventId;
        private long seq;
        private String sessionId;
        private String agentId;
        private String agentType;
        private String agentKey = "";
        private String source;
        private String hookEventName;
        private String eventType;
        private String toolName;
        private String toolUseId;
        private String promptId;
        private String parentEventId;
        private String subagentType;
        private String spawnerType;
        private String status;
        private String model;
        private String inputSummary;
        private String outputSummary;
        private String timestamp;
        private String endedAt;
        private Double duration;
        private String payload;
        private String payloadHash;
        private String now;
        private String featureId;
        private String finishedBy;

        /** The id, sequence number and creation time, from the writer's {@link Stamps}. */
        public Builder stamped(String id, long sequence, String createdAt) {
            this.eventId = id;
            this.seq = sequence;
            this.now = createdAt;
            return this;
        }

        public Builder session(String id) {
            this.sessionId = id;
            return this;
        }

        /** Who did it: display name, type (subagents) and the key that tells a session's agents apart. */
        public Builder agent(String id, String type, String key) {
            this.agentId = id;
            this.agentType = type;
            this.agentKey = key;
            return this;
        }

        /** Where it came from: the ingest source and the hook event name. */
        public Builder origin(String from, String hookEvent) {
            this.source = from;
            this.hookEventName = hookEvent;
            return this;
        }

        /** What it is: event type, tool name and the tool call's id. */
        public Builder kind(String type, String tool, String useId) {
            this.eventType = type;
            this.toolName = tool;
            this.toolUseId = useId;
            return this;
        }

        /** Where it hangs: its prompt (turn) id and parent row. */
        public Builder under(String prompt, String parent) {
            this.promptId = prompt;
            this.parentEventId = parent;
            return this;
        }

        public Builder delegation(String subagent, String spawner) {
            this.subagentType = subagent;
            this.spawnerType = spawner;
            return this;
        }

        public Builder status(String value) {
            this.status = value;
            return this;
        }

        public Builder model(String value) {
            this.model = value;
            return this;
        }

        public Builder summaries(String input, String output) {
            this.inputSummary = input;
            this.outputSummary = output;
            return this;
        }

        /** When it started, ended (null while open) and how long it took in seconds (null while open). */
        public Builder times(String start, String end, Double seconds) {
            this.timestamp = start;
            this.endedAt = end;
            this.duration = seconds;
            return this;
        }

        public Builder payload(String text, String hash) {
            this.payload = text;
            this.payloadHash = hash;
            return this;
        }

        public Builder feature(String id) {
            this.featureId = id;
            return this;
        }

        /** What finished it ({@code hook}, {@code telemetry}); null while open, and for rows not made by a hook. */
        public Builder finishedBy(String source) {
            this.finishedBy = source;
            return this;
        }

        public EventRow build() {
            return new EventRow(eventId, seq, sessionId, agentId, agentType, agentKey, source, hookEventName,
                    eventType, toolName, toolUseId, promptId, parentEventId, subagentType, spawnerType, status, model,
                    inputSummary, outputSummary, timestamp, endedAt, duration, payload, payloadHash, now, featureId,
                    finishedBy);
        }
    }
}
