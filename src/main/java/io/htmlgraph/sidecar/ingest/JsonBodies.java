package io.htmlgraph.sidecar.ingest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.htmlgraph.sidecar.domain.BadInputException;
import io.htmlgraph.sidecar.domain.ErrorCode;

/**
 * Splits a request body into event objects: one JSON object, a JSON array of objects, or NDJSON (one per line). The
 * body is read as it arrives and each object is handed on as soon as it is parsed, so a batch at the body limit never
 * sits in the heap whole, nor as one tree: only what each object became.
 */
public final class JsonBodies {
    /** At most this many events in one request. */
    public static final int MAX_EVENTS = 10_000;
    /**
     * At most this many JSON tokens (names, values, brackets) in one event: a tree costs 50–100 bytes of heap per
     * token, so an object of 100,000 keys (1.5 MB of body) ran the launcher's 32 MB heap out of memory. Real hooks
     * have a few hundred; a large file's text is one token.
     */
    public static final int MAX_EVENT_TOKENS = 50_000;

    private final ObjectReader reader;

    public JsonBodies(ObjectMapper mapper) {
        ObjectMapper strict = mapper.copy();
        strict.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build());
        this.reader = strict.readerFor(JsonNode.class);
    }

    /** Parses the whole body; any syntax error or non-object element rejects it. */
    public List<ObjectNode> parse(byte[] body) {
        return map(new ByteArrayInputStream(body), object -> object);
    }

    /**
     * Each event object of the body, as {@code convert} makes it, in order. Any syntax error, non-object element or
     * {@link BadInputException} of {@code convert} rejects the whole body, naming the element in a batch. Exceptions
     * the stream itself throws (a body past its limit) pass unchanged.
     */
    public <T> List<T> map(InputStream body, Function<ObjectNode, T> convert) {
        List<T> converted = new ArrayList<>();
        forEach(body, object -> converted.add(convert.apply(object)));
        return converted;
    }

    /** As {@link #map}, handing each event object to {@code consumer} as it is read. */
    public void forEach(InputStream body, Consumer<ObjectNode> consumer) {
        try (TokenBudget parser = new TokenBudget(reader.createParser(body))) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new BadInputException(ErrorCode.EMPTY_BODY,
                        "the request body is empty; send a JSON object, array or NDJSON");
            }
            if (first == JsonToken.START_ARRAY) {
                arrayElements(parser, consumer);
            } else {
                concatenated(parser, consumer);
            }
        } catch (JsonProcessingException e) {
            throw new BadInputException(ErrorCode.MALFORMED_JSON, describe(e));
        } catch (IOException e) {
            throw new BadInputException(ErrorCode.MALFORMED_JSON, e.getMessage());
        }
    }

    private void arrayElements(TokenBudget parser, Consumer<ObjectNode> consumer) throws IOException {
        JsonToken next = parser.nextToken();
        if (next == JsonToken.END_ARRAY) {
            throw new BadInputException(ErrorCode.EMPTY_BODY, "the JSON array is empty");
        }
        for (int index = 0; next != JsonToken.END_ARRAY; index++) {
            parser.reset();
            JsonNode node = reader.readValue(parser);
            next = parser.nextToken(); // read ahead: an error in the only element names no element
            element(node, index, next == JsonToken.END_ARRAY, consumer);
        }
        if (parser.nextToken() != null) {
            throw new BadInputException(ErrorCode.MALFORMED_JSON, "unexpected content after the JSON array");
        }
    }

    private void concatenated(TokenBudget parser, Consumer<ObjectNode> consumer) throws IOException {
        JsonToken next = parser.currentToken();
        for (int index = 0; next != null; index++) {
            parser.reset();
            JsonNode node = reader.readValue(parser);
            next = parser.nextToken();
            element(node, index, next == null, consumer);
        }
    }

    private static void element(JsonNode node, int index, boolean last, Consumer<ObjectNode> consumer) {
        if (index >= MAX_EVENTS) {
            throw new BadInputException(ErrorCode.TOO_MANY_EVENTS, "at most " + MAX_EVENTS + " events per request");
        }
        try {
            if (!(node instanceof ObjectNode object)) {
                throw new BadInputException(ErrorCode.INVALID_EVENT,
                        "expected a JSON object, got " + node.getNodeType().name().toLowerCase());
            }
            consumer.accept(object);
        } catch (BadInputException e) {
            throw index == 0 && last ? e : e.inElement(index);
        }
    }

    /** The body's parser, refusing an event once it passes {@link #MAX_EVENT_TOKENS} while its tree is built. */
    private static final class TokenBudget extends JsonParserDelegate {
        private int tokens;

        TokenBudget(JsonParser parser) {
            super(parser);
        }

        /** A new event begins. */
        void reset() {
            tokens = 0;
        }

        @Override
        public JsonToken nextToken() throws IOException {
            spend();
            return delegate.nextToken();
        }

        @Override
        public String nextFieldName() throws IOException {
            spend();
            return delegate.nextFieldName();
        }

        private void spend() {
            if (++tokens > MAX_EVENT_TOKENS) {
                throw new BadInputException(ErrorCode.INVALID_EVENT, "an event has more than " + MAX_EVENT_TOKENS
                        + " JSON names and values; send its large parts as text");
            }
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
}
