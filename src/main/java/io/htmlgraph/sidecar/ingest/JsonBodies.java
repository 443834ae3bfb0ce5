package io.htmlgraph.sidecar.ingest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.htmlgraph.sidecar.domain.ErrorCode;

/** Splits a request body into event objects: one JSON object, a JSON array of objects, or NDJSON (one per line). */
public final class JsonBodies {
    /** At most this many events in one request. */
    public static final int MAX_EVENTS = 10_000;

    private final ObjectReader reader;
    private final ObjectReader arrayReader;

    public JsonBodies(ObjectMapper mapper) {
        ObjectMapper strict = mapper.copy();
        strict.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build());
        this.reader = strict.readerFor(JsonNode.class);
        this.arrayReader = reader.with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** Parses the body; any syntax error or non-object element rejects the whole body. */
    public List<ObjectNode> parse(byte[] body) {
        int first = firstNonSpace(body);
        if (first < 0) {
            throw new BadInputException(ErrorCode.EMPTY_BODY,
                    "the request body is empty; send a JSON object, array or NDJSON");
        }
        try {
            List<JsonNode> nodes = body[first] == '[' ? arrayElements(body) : concatenated(body);
            List<ObjectNode> objects = new ArrayList<>(nodes.size());
            for (int i = 0; i < nodes.size(); i++) {
                if (!(nodes.get(i) instanceof ObjectNode object)) {
                    throw new BadInputException(ErrorCode.INVALID_EVENT, (nodes.size() == 1 ? "" : "element " + i
                            + ": ")
                            + "expected a JSON object, got " + nodes.get(i).getNodeType().name().toLowerCase());
                }
                objects.add(object);
            }
            return objects;
        } catch (JsonProcessingException e) {
            throw new BadInputException(ErrorCode.MALFORMED_JSON, describe(e));
        } catch (IOException e) {
            throw new BadInputException(ErrorCode.MALFORMED_JSON, e.getMessage());
        }
    }

    private List<JsonNode> arrayElements(byte[] body) throws IOException {
        JsonNode array = arrayReader.readValue(body);
        if (array.isEmpty()) {
            throw new BadInputException(ErrorCode.EMPTY_BODY, "the JSON array is empty");
        }
        checkCount(array.size());
        List<JsonNode> nodes = new ArrayList<>(array.size());
        array.forEach(nodes::add);
        return nodes;
    }

    private List<JsonNode> concatenated(byte[] body) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        try (MappingIterator<JsonNode> it = reader.readValues(body)) {
            while (it.hasNextValue()) {
                nodes.add(it.nextValue());
                checkCount(nodes.size());
            }
        }
        return nodes;
    }

    private static void checkCount(int count) {
        if (count > MAX_EVENTS) {
            throw new BadInputException(ErrorCode.TOO_MANY_EVENTS, "at most " + MAX_EVENTS + " events per request");
        }
    }

    private static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        if (e.getLocation() != null && e instanceof JsonParseException) {
            return message + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()
                   + ")";
        }
        return message;
    }

    private static int firstNonSpace(byte[] body) {
        for (int i = 0; i < body.length; i++) {
            if (!Character.isWhitespace(body[i])) {
                return i;
            }
        }
        return -1;
    }
}
