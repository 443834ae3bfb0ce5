package io.htmlgraph.sidecar.adopt;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
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

    /**
     * Whether the text is a JSON object whose top-level {@code field} is true as {@link JsonNode#asBoolean(boolean)}
     * reads it (true, a non-zero integer, the text "true"; the last one when repeated), read as a stream: most
     * imported rows ask this of their context, and a tree per row was a twentieth of what an import allocated.
     */
    boolean flag(String text, String field) {
        if (text == null || !text.startsWith("{")) {
            return false;
        }
        try (JsonParser parser = mapper.createParser(text)) {
            boolean flag = false;
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals(name)) {
                    flag = switch (value) {
                        case VALUE_TRUE -> true;
                        case VALUE_NUMBER_INT -> parser.getBigIntegerValue().signum() != 0;
                        case VALUE_STRING -> "true".equals(parser.getText().trim());
                        default -> false;
                    };
                }
                parser.skipChildren();
            }
            return flag;
        } catch (IOException e) {
            return false;
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
