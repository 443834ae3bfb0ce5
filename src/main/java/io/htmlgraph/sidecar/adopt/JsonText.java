package io.htmlgraph.sidecar.adopt;

import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** JSON that htmlgraph stored as text (contexts, inputs): parsed when it is an object, else ignored. */
final class JsonText {
    private final ObjectMapper mapper;
    private final ObjectMapper sorted;

    JsonText(ObjectMapper mapper) {
        this.mapper = mapper;
        this.sorted = mapper.copy().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    }

    /** The text as a JSON object, if it is one. */
    Optional<JsonNode> object(String text) {
        if (text == null || !text.startsWith("{")) {
            return Optional.empty();
        }
        try {
            JsonNode node = mapper.readTree(text);
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** The node written with its keys sorted, so that two orders of the same object compare equal. */
    String canonical(JsonNode node) {
        try {
            return sorted.writeValueAsString(mapper.convertValue(node, Map.class));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return node.toString();
        }
    }
}
