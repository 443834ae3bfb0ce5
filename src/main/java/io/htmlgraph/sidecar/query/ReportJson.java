package io.htmlgraph.sidecar.query;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import io.htmlgraph.sidecar.domain.Usage;

/**
 * The largest read answers written field by field: the tree routes ({@code /api/events-grouped-by-prompt},
 * {@code /api/event-traces}: about 500 nodes a page) and {@code /api/orchestration} (up to 1,000 links). Jackson's
 * bean serialisation of the same records (the reference: their components and annotations give the names, order
 * and omitted nulls, {@code ReportJsonTest} checks every byte) calls each accessor reflectively and checks each
 * property's inclusion: under the launcher's C1-only JIT it took about twice as long for a page of 50 turns (1.0–3.0
 * against 0.6–1.4 ms; docs/performance.md).
 */
public final class ReportJson {
    private static final SerializableString TIMESTAMP = name("timestamp");
    private static final SerializableString EVENT_ID = name("event_id");
    private static final SerializableString PARENT_EVENT_ID = name("parent_event_id");
    private static final SerializableString TOOL_NAME = name("tool_name");
    private static final SerializableString EVENT_TYPE = name("event_type");
    private static final SerializableString SUMMARY = name("summary");
    private static final SerializableString STATUS = name("status");
    private static final SerializableString DURATION_SECONDS = name("duration_seconds");
    private static final SerializableString AGENT = name("agent");
    private static final SerializableString AGENT_ID = name("agent_id");
    private static final SerializableString DEPTH = name("depth");
    private static final SerializableString MODEL = name("model");
    private static final SerializableString SUBAGENT_TYPE = name("subagent_type");
    private static final SerializableString ERROR = name("error");
    private static final SerializableString CHILDREN = name("children");
    private static final SerializableString USAGE = name("usage");
    private static final SerializableString API_ERRORS = name("api_errors");
    private static final SerializableString SESSION_ID = name("session_id");
    private static final SerializableString TOTAL_TOKENS = name("total_tokens");
    private static final SerializableString COST_USD = name("cost_usd");
    private static final SerializableString COST_SOURCE = name("cost_source");
    private static final SerializableString TO_AGENT = name("to_agent");
    private static final SerializableString TASK = name("task");
    private static final SerializableString INPUT_TOKENS = name("input_tokens");
    private static final SerializableString OUTPUT_TOKENS = name("output_tokens");
    private static final SerializableString CACHE_READ_TOKENS = name("cache_read_tokens");
    private static final SerializableString CACHE_CREATION_TOKENS = name("cache_creation_tokens");
    private static final SerializableString PROMPT = name("prompt");
    private static final SerializableString LAST_MESSAGE = name("last_message");
    private static final SerializableString FEATURE_ID = name("feature_id");
    private static final SerializableString STARTED_AT = name("started_at");
    private static final SerializableString SPAWNER_TYPE = name("spawner_type");
    private static final SerializableString RESULT = name("result");

    private ReportJson() {
    }

    /** The grouped feed's page, written as its records would be. */
    public static JsonSerializable of(GroupedFeed.Page page) {
        return new Written(g -> {
            g.writeStartObject();
            text(g, TIMESTAMP, page.timestamp());
            g.writeNumberField("total_turns", page.totalTurns());
            g.writeArrayFieldStart("conversation_turns");
            for (GroupedFeed.Turn turn : page.conversationTurns()) {
                g.writeStartObject();
                g.writeFieldName("userQuery"); // named explicitly in GroupedFeed.Turn, as htmlgraph spells it
                userQuery(g, turn.userQuery());
                g.writeFieldName(CHILDREN);
                nodes(g, turn.children());
                g.writeFieldName("stats");
                stats(g, turn.stats());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** The traces' page, written as its records would be. */
    public static JsonSerializable of(EventTraces.Page page) {
        return new Written(g -> {
            g.writeStartObject();
            text(g, TIMESTAMP, page.timestamp());
            g.writeNumberField("total_traces", page.totalTraces());
            g.writeArrayFieldStart("traces");
            for (EventTraces.Trace t : page.traces()) {
                trace(g, t);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** The orchestration report, written as its records would be. */
    public static JsonSerializable of(Reports.Orchestration o) {
        return new Written(g -> {
            g.writeStartObject();
            g.writeNumberField("delegation_count", o.delegationCount());
            g.writeNumberField("unique_agents", o.uniqueAgents());
            g.writeArrayFieldStart("agents");
            for (String agent : o.agents()) {
                g.writeString(agent);
            }
            g.writeEndArray();
            g.writeObjectFieldStart("delegation_chains");
            for (var chain : o.delegationChains().entrySet()) {
                g.writeArrayFieldStart(chain.getKey());
                for (Reports.ChainLink link : chain.getValue()) {
                    g.writeStartObject();
                    text(g, TO_AGENT, link.toAgent());
                    text(g, EVENT_TYPE, link.eventType());
                    text(g, TIMESTAMP, link.timestamp());
                    text(g, TASK, link.task());
                    text(g, STATUS, link.status());
                    text(g, SESSION_ID, link.sessionId());
                    text(g, EVENT_ID, link.eventId());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    private static void userQuery(JsonGenerator g, GroupedFeed.UserQuery q) throws IOException {
        g.writeStartObject();
        text(g, EVENT_ID, q.eventId());
        text(g, TIMESTAMP, q.timestamp());
        text(g, PROMPT, q.prompt());
        real(g, DURATION_SECONDS, q.durationSeconds());
        text(g, STATUS, q.status());
        text(g, SESSION_ID, q.sessionId());
        text(g, LAST_MESSAGE, q.lastMessage());
        whole(g, TOTAL_TOKENS, q.totalTokens());
        real(g, COST_USD, q.costUsd());
        text(g, COST_SOURCE, q.costSource());
        g.writeFieldName(USAGE);
        usage(g, q.usage());
        whole(g, API_ERRORS, q.apiErrors());
        text(g, FEATURE_ID, q.featureId());
        g.writeEndObject();
    }

    private static void nodes(JsonGenerator g, List<TreeNode> nodes) throws IOException {
        g.writeStartArray();
        for (TreeNode n : nodes) {
            g.writeStartObject();
            text(g, EVENT_ID, n.eventId());
            text(g, PARENT_EVENT_ID, n.parentEventId());
            text(g, TOOL_NAME, n.toolName());
            text(g, EVENT_TYPE, n.eventType());
            text(g, TIMESTAMP, n.timestamp());
            text(g, SUMMARY, n.summary());
            text(g, STATUS, n.status());
            real(g, DURATION_SECONDS, n.durationSeconds());
            text(g, AGENT, n.agent());
            g.writeFieldName(DEPTH);
            g.writeNumber(n.depth());
            text(g, MODEL, n.model());
            text(g, SUBAGENT_TYPE, n.subagentType());
            if (n.error() != null) {
                text(g, ERROR, n.error());
            }
            if (!n.children().isEmpty()) {
                g.writeFieldName(CHILDREN);
                nodes(g, n.children());
            }
            if (n.usage() != null) {
                g.writeFieldName(USAGE);
                usage(g, n.usage());
            }
            if (n.apiErrors() != null) {
                whole(g, API_ERRORS, n.apiErrors());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void usage(JsonGenerator g, Usage u) throws IOException {
        g.writeStartObject();
        whole(g, INPUT_TOKENS, u.inputTokens());
        whole(g, OUTPUT_TOKENS, u.outputTokens());
        whole(g, CACHE_READ_TOKENS, u.cacheReadTokens());
        whole(g, CACHE_CREATION_TOKENS, u.cacheCreationTokens());
        whole(g, TOTAL_TOKENS, u.totalTokens());
        real(g, COST_USD, u.costUsd());
        text(g, COST_SOURCE, u.costSource());
        g.writeEndObject();
    }

    /** {@link GroupedFeed.Stats} leaves out its null figures. */
    private static void stats(JsonGenerator g, GroupedFeed.Stats s) throws IOException {
        g.writeStartObject();
        g.writeNumberField("tool_count", s.toolCount());
        g.writeNumberField("total_duration", s.totalDuration());
        g.writeNumberField("success_count", s.successCount());
        g.writeNumberField("error_count", s.errorCount());
        if (s.totalTokens() != null) {
            whole(g, TOTAL_TOKENS, s.totalTokens());
        }
        if (s.costUsd() != null) {
            real(g, COST_USD, s.costUsd());
        }
        if (s.costSource() != null) {
            text(g, COST_SOURCE, s.costSource());
        }
        g.writeEndObject();
    }

    private static void trace(JsonGenerator g, EventTraces.Trace t) throws IOException {
        g.writeStartObject();
        text(g, PARENT_EVENT_ID, t.parentEventId());
        text(g, AGENT_ID, t.agentId());
        text(g, SUBAGENT_TYPE, t.subagentType());
        text(g, STARTED_AT, t.startedAt());
        text(g, STATUS, t.status());
        real(g, DURATION_SECONDS, t.durationSeconds());
        g.writeArrayFieldStart("child_events");
        for (EventTraces.ChildEvent e : t.childEvents()) {
            g.writeStartObject();
            text(g, EVENT_ID, e.eventId());
            text(g, PARENT_EVENT_ID, e.parentEventId());
            text(g, TOOL_NAME, e.toolName());
            text(g, EVENT_TYPE, e.eventType());
            text(g, TIMESTAMP, e.timestamp());
            text(g, SUMMARY, e.summary());
            text(g, STATUS, e.status());
            real(g, DURATION_SECONDS, e.durationSeconds());
            text(g, AGENT_ID, e.agentId());
            g.writeFieldName(DEPTH);
            g.writeNumber(e.depth());
            text(g, MODEL, e.model());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeNumberField("child_spike_count", t.childSpikeCount());
        g.writeArrayFieldStart("child_spikes"); // always empty: this store has no spikes (EventTraces.Trace)
        g.writeEndArray();
        text(g, MODEL, t.model());
        text(g, SESSION_ID, t.sessionId());
        text(g, SPAWNER_TYPE, t.spawnerType());
        text(g, TASK, t.task());
        text(g, RESULT, t.result());
        g.writeEndObject();
    }

    private static void text(JsonGenerator g, SerializableString field, String value) throws IOException {
        g.writeFieldName(field);
        g.writeString(value); // null writes null
    }

    private static void whole(JsonGenerator g, SerializableString field, Long value) throws IOException {
        g.writeFieldName(field);
        if (value == null) {
            g.writeNull();
        } else {
            g.writeNumber(value.longValue());
        }
    }

    private static void real(JsonGenerator g, SerializableString field, Double value) throws IOException {
        g.writeFieldName(field);
        if (value == null) {
            g.writeNull();
        } else {
            g.writeNumber(value.doubleValue());
        }
    }

    private static SerializableString name(String name) {
        return new SerializedString(name);
    }

    private interface Writer {
        void write(JsonGenerator g) throws IOException;
    }

    /** An answer that writes itself; it has no type information to add. */
    private record Written(Writer writer) implements JsonSerializable {
        @Override
        public void serialize(JsonGenerator g, SerializerProvider provider) throws IOException {
            writer.write(g);
        }

        @Override
        public void serializeWithType(JsonGenerator g, SerializerProvider provider, TypeSerializer type)
                throws IOException {
            serialize(g, provider);
        }
    }
}
