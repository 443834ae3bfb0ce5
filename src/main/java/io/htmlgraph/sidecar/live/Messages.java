package io.htmlgraph.sidecar.live;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.htmlgraph.sidecar.domain.Change;

/**
 * The WebSocket messages, as JSON text:
 * <pre>
 * {"type":"event", event_id, agent_id, event_type, timestamp, tool_name, …, parent_event_id, sequence, …}
 * {"type":"spawner_event", live_event_id, event_type, spawner_type, parent_event_id, session_id, timestamp, data,
 *  sequence, run_event_id}
 * {"type":"ready", sequence}               after the backlog: live entries follow
 * {"type":"resync", since, sequence}       ?since= was too far behind: the latest entries follow instead
 * </pre>
 */
public final class Messages {
    private final ObjectMapper mapper;

    public Messages(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    String encode(Change change) {
        ObjectNode message = mapper.createObjectNode();
        if (change.event() != null) {
            message.put("type", "event");
            message.setAll((ObjectNode) mapper.valueToTree(change.event()));
        } else {
            Change.SpawnerMessage s = change.spawner();
            message.put("type", "spawner_event").put("live_event_id", s.liveEventId())
                    .put("event_type", s.eventType()).put("spawner_type", s.spawnerType())
                    .put("parent_event_id", s.parentEventId()).put("session_id", s.sessionId())
                    .put("timestamp", s.timestamp());
            message.set("data", parse(s.data()));
            message.put("sequence", change.sequence()).put("run_event_id", s.runEventId());
        }
        return write(message);
    }

    String ready(long sequence) {
        return write(mapper.createObjectNode().put("type", "ready").put("sequence", sequence));
    }

    String resync(long since, long sequence) {
        return write(mapper.createObjectNode().put("type", "resync").put("since", since).put("sequence", sequence));
    }

    private JsonNode parse(String json) {
        try {
            return json == null ? mapper.nullNode() : mapper.readTree(json);
        } catch (IOException e) {
            return mapper.getNodeFactory().textNode(json);
        }
    }

    private String write(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
