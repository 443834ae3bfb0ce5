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
        if (text == null || !text.startsWith("{") || noneTrue(text, field)) {
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

    /**
     * Whether no {@code field} anywhere in the text can be true, seen without a parser: each {@code "field"} in it is
     * followed by a colon and a value that begins as only false, null, an array or an object can. A name spelled
     * with a {@code \\u} escape is not seen that way, so a text with one is parsed. Most imported contexts end in
     * {@code "is_error": false}, and a parser per row was a seventh of what the importer's reading thread allocated.
     */
    private static boolean noneTrue(String text, String field) {
        if (text.contains("\\u")) {
            return false;
        }
        String name = '"' + field + '"';
        for (int at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + name.length())) {
            int colon = afterSpace(text, at + name.length());
            int value = colon < text.length() && text.charAt(colon) == ':' ? afterSpace(text, colon + 1) : -1;
            if (value < 0 || value >= text.length() || "fn[{".indexOf(text.charAt(value)) < 0) {
                return false;
            }
        }
        return true;
    }

    /** The index of the first character at or after {@code from} that is not JSON whitespace. */
    private static int afterSpace(String text, int from) {
        int i = from;
        while (i < text.length() && " \t\n\r".indexOf(text.charAt(i)) >= 0) {
            i++;
        }
        return i;
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
