package io.htmlgraph.sidecar.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Makes agent text safe to keep: masks values of secret-looking keys, keys that are tokens, and every secret the
 * {@link Masker} rules find inside any text (before the final truncation, so no partial secret survives), truncates
 * long text, caps the stored payload, and in metadata-only mode keeps sizes and hashes instead of text.
 */
final class Sanitizer {
    static final String MASK = Masker.MASK;
    private static final int MIN_TEXT = 256;

    /** Masking may look this far past the truncation point, so a secret cut in two is still recognised. */
    private static final int MASK_MARGIN = 8192;
    private static final Masker MASKER = Masker.standard();
    private static final CleanTexts CLEAN_TEXTS = CleanTexts.standard();
    private static final MessageDigest SHA_256 = newSha256();
    /** Identifiers and enumerations: kept in metadata-only mode. */
    private static final Set<String> METADATA_KEYS = Set.of("session_id", "hook_event_name", "tool_name", "tool_use_id",
            "prompt_id", "agent_id", "agent_type", "notification_type", "permission_mode", "source", "reason", "model",
            "subagent_type", "status", "trigger", "is_interrupt", "stop_hook_active", "duration_ms", "resolvedModel",
            "event_type", "spawner_type", "phase", "type", "priority");

    private final ObjectMapper mapper;
    private final int payloadMaxBytes;
    private final boolean metadataOnly;

    Sanitizer(ObjectMapper mapper, int payloadMaxBytes, boolean metadataOnly) {
        this.mapper = mapper;
        this.payloadMaxBytes = payloadMaxBytes;
        this.metadataOnly = metadataOnly;
    }

    /** Rewrites the event's text in place: truncate, then mask, then (metadata-only) replace by size and hash. */
    void clean(ObjectNode event) {
        int maxText = Math.max(MIN_TEXT, payloadMaxBytes / 4);
        rewrite(event, null, text -> truncate(CLEAN_TEXTS.mask(truncate(text, maxText + MASK_MARGIN)), maxText));
        if (metadataOnly) {
            rewrite(event, null, Sanitizer::describe);
        }
    }

    /** The payload to store: the cleaned event as JSON, at most {@code payloadMaxBytes} long in UTF-8. */
    String payload(ObjectNode event) {
        String json = write(event);
        if (utf8Length(json) > payloadMaxBytes) {
            ObjectNode shorter = event.deepCopy();
            rewrite(shorter, null, text -> truncate(text, MIN_TEXT));
            json = write(shorter);
        }
        int bytes = utf8Length(json);
        if (bytes > payloadMaxBytes) {
            json = "{\"truncated\":true,\"bytes\":" + bytes + "}";
        }
        return json;
    }

    /**
     * {@code json}'s length in UTF-8 bytes as far as the cap needs it: encoded only when the text could pass the cap
     * (a char takes at most 3 bytes), else its length in chars, which is then below the cap too.
     */
    private int utf8Length(String json) {
        return json.length() > payloadMaxBytes / 3 ? json.getBytes(StandardCharsets.UTF_8).length : json.length();
    }

    static String hash(String text) {
        return hash(text, sha256());
    }

    /** {@link #hash(String)} with a SHA-256 digest that the caller keeps for its thread (the digest ends reset). */
    static String hash(String text, MessageDigest sha256) {
        byte[] digest = sha256.digest(text.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 16);
    }

    /**
     * A fresh SHA-256 digest, cloned from one made once: {@code MessageDigest.getInstance} looks the algorithm up
     * among the security providers each time (half the hash's cost per hook).
     */
    static MessageDigest sha256() {
        try {
            return (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digests of this JVM cannot be cloned", e);
        }
    }

    static String mask(String text) {
        return MASKER.mask(text);
    }

    static String truncate(String text, int max) {
        return text.length() <= max ? text
                : text.substring(0, max) + "…[truncated " + (text.length() - max) + " chars]";
    }

    static String describe(String text) {
        return "[" + text.length() + " chars sha256:" + hash(text).substring(0, 12) + "]";
    }

    /** Applies {@code change} to every text value; text anywhere under a secret-looking key is masked whole. */
    private void rewrite(JsonNode node, String key, UnaryOperator<String> change) {
        if (node instanceof ObjectNode object) {
            maskKeys(object);
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode value = field.getValue();
                if (value.isTextual()) {
                    String text = textFor(field.getKey(), value.textValue(), change);
                    if (text != value.textValue()) { // most texts come through as they are: keep their node
                        field.setValue(TextNode.valueOf(text));
                    }
                } else if (value.isContainerNode() && isSecretKey(field.getKey()) && !value.isEmpty()) {
                    field.setValue(TextNode.valueOf(MASK));
                } else {
                    rewrite(value, field.getKey(), change);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode value = array.get(i);
                if (value.isTextual()) {
                    String text = textFor(key, value.textValue(), change);
                    if (text != value.textValue()) {
                        array.set(i, TextNode.valueOf(text));
                    }
                } else {
                    rewrite(value, key, change);
                }
            }
        }
    }

    /** Renames keys that are themselves tokens (an agent may key a map by its credentials). */
    private static void maskKeys(ObjectNode object) {
        List<String> secretKeys = null;
        for (Iterator<String> names = object.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (MASKER.keyHasToken(name)) {
                secretKeys = secretKeys == null ? new ArrayList<>() : secretKeys;
                secretKeys.add(name);
            }
        }
        if (secretKeys == null) {
            return;
        }
        for (String name : secretKeys) {
            JsonNode value = object.remove(name);
            object.set(Identifiers.masked(name), value);
        }
    }

    private String textFor(String key, String text, UnaryOperator<String> change) {
        if (key != null && isSecretKey(key) && !text.isEmpty() && !text.equals(MASK)) {
            return MASK;
        }
        if (metadataOnly && key != null && METADATA_KEYS.contains(key)) {
            return text;
        }
        return change.apply(text);
    }

    private static boolean isSecretKey(String key) {
        return MASKER.isSecretKey(key);
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private String write(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a parsed payload", e);
        }
    }
}
