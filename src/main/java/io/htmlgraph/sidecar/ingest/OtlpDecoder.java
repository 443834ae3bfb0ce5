package io.htmlgraph.sidecar.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.htmlgraph.sidecar.domain.BadInputException;
import io.htmlgraph.sidecar.domain.ErrorCode;

/**
 * Decodes an OTLP/HTTP request body into its protobuf message, in either encoding. The JSON encoding is protobuf's
 * JSON mapping with OTLP's differences (OTLP spec, "JSON Protobuf Encoding"): trace and span ids are hex, not base64;
 * enums may be integers; 64-bit integers may be numbers or strings; unknown fields are ignored. Protobuf's parser
 * handles the last three; the ids are rewritten to base64 first.
 */
final class OtlpDecoder {
    private static final Set<String> ID_FIELDS = Set.of("traceId", "spanId", "parentSpanId", "trace_id", "span_id",
                                                        "parent_span_id");
    private static final JsonFormat.Parser JSON = JsonFormat.parser().ignoringUnknownFields();

    private final ObjectMapper mapper;

    OtlpDecoder(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Fills {@code builder} from the body; {@code json} selects the encoding. */
    <B extends Message.Builder> B decode(byte[] body, boolean json, B builder) {
        try {
            if (!json) {
                builder.mergeFrom(body);
                return builder;
            }
            String original = new String(body, StandardCharsets.UTF_8);
            String text = original;
            if (ID_FIELDS.stream().anyMatch(f -> original.contains('"' + f + '"'))) {
                text = fixIds(text);
            }
            JSON.merge(text, builder);
            return builder;
        } catch (InvalidProtocolBufferException e) {
            throw new BadInputException(ErrorCode.INVALID_OTLP, "not a valid OTLP " + (json ? "JSON" : "protobuf")
                    + " body: " + firstLine(e.getMessage()));
        } catch (RuntimeException e) {
            // protobuf's JSON parser throws unchecked exceptions on some malformed input (deep nesting, bad numbers)
            throw new BadInputException(ErrorCode.INVALID_OTLP, "not a valid OTLP JSON body: "
                    + firstLine(e.getMessage()));
        }
    }

    private String fixIds(String text) {
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new BadInputException(ErrorCode.INVALID_OTLP, "not a valid OTLP JSON body: "
                    + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new BadInputException(ErrorCode.INVALID_OTLP, "an OTLP JSON body is one JSON object");
        }
        rewrite(root);
        return root.toString();
    }

    /** Hex ids to base64, in place, everywhere in the tree. */
    private static void rewrite(JsonNode node) {
        if (node.isArray()) {
            node.forEach(OtlpDecoder::rewrite);
        } else if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode value = field.getValue();
                if (ID_FIELDS.contains(field.getKey()) && value.isTextual()) {
                    ((ObjectNode) node).set(field.getKey(), new TextNode(base64(field.getKey(), value.textValue())));
                } else {
                    rewrite(value);
                }
            }
        }
    }

    private static String base64(String field, String hex) {
        if (hex.isEmpty()) {
            return hex;
        }
        try {
            return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new BadInputException(ErrorCode.INVALID_OTLP, "'" + field + "' must be hex");
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "malformed";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
