package io.htmlgraph.sidecar.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Makes agent text safe to keep: masks values of secret-looking keys and well-known token shapes inside any text
 * (before truncating, so no partial secret survives), truncates long text, caps the stored payload, and in
 * metadata-only mode keeps sizes and hashes instead of text.
 */
final class Sanitizer {
    static final String MASK = "[masked]";
    private static final int MIN_TEXT = 256;

    /** Keys whose values are secrets: their lowercase name contains one of these ({@code aws_secret_access_key}). */
    private static final List<String> SECRET_KEY_PARTS = List.of("secret", "password", "passwd", "apikey", "api_key",
            "api-key", "access_key", "accesskey", "authorization", "credential", "privatekey", "private_key", "cookie");
    private static final Pattern SECRET_TEXT = Pattern.compile(String.join("|",
            "sk-ant-[A-Za-z0-9_-]{16,}",
            "sk-(?:proj-)?[A-Za-z0-9_-]{20,}",
            "(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}",
            "gh[pousr]_[A-Za-z0-9]{30,}",
            "github_pat_[A-Za-z0-9_]{30,}",
            "AKIA[0-9A-Z]{16}",
            "xox[abprs]-[A-Za-z0-9-]{10,}",
            "AIza[0-9A-Za-z_-]{35}",
            "(?i:bearer|basic)\\s+[A-Za-z0-9._~+/-]{16,}=*",
            "-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)",
            // NAME=value or NAME: value; masked only when NAME looks secret (checked in code, so the pattern
            // stays linear: a name starts at a word boundary and cannot be re-tried inside a long word)
            "(?<kv>\\b(?<name>[A-Za-z0-9_]{1,64})[\"']?\\s*[=:]\\s*[\"']?)(?:(?i:bearer|basic)\\s+)?[^\\s\"'&]{4,}"));
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
        rewrite(event, null, text -> truncate(mask(text), maxText));
        if (metadataOnly) {
            rewrite(event, null, Sanitizer::describe);
        }
    }

    /** The payload to store: the cleaned event as JSON, at most {@code payloadMaxBytes} long. */
    String payload(ObjectNode event) {
        String json = write(event);
        if (json.length() > payloadMaxBytes) {
            ObjectNode shorter = event.deepCopy();
            rewrite(shorter, null, text -> truncate(text, MIN_TEXT));
            json = write(shorter);
        }
        if (json.length() > payloadMaxBytes) {
            json = "{\"truncated\":true,\"bytes\":" + json.length() + "}";
        }
        return json;
    }

    static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * Literal parts of which every {@link #SECRET_TEXT} match and every secret-looking name contains one (lowercase):
     * text with none of them holds no secret, and skips the costly pattern. Keep in step with the pattern.
     */
    private static final List<String> SECRET_HINTS = List.of("token", "secret", "passw", "apikey", "api_key",
            "api-key", "access_key", "accesskey", "authorization", "credential", "privatekey", "private_key", "cookie",
            "sk-", "sk_", "rk_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "akia", "xox", "aiza", "bearer",
            "basic", "-----begin");

    /** Whether the text may hold a secret (a cheap test before the pattern; false means certainly not). */
    static boolean mightHoldSecret(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        for (String hint : SECRET_HINTS) {
            if (lower.contains(hint)) {
                return true;
            }
        }
        return false;
    }

    static String mask(String text) {
        if (!mightHoldSecret(text)) {
            return text;
        }
        Matcher m = SECRET_TEXT.matcher(text);
        if (!m.find()) {
            return text;
        }
        return m.reset().replaceAll(r -> Matcher.quoteReplacement(m.group("kv") == null ? MASK
                : isSecretName(m.group("name")) ? m.group("kv") + MASK : m.group()));
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
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode value = field.getValue();
                if (value.isTextual()) {
                    field.setValue(TextNode.valueOf(textFor(field.getKey(), value.textValue(), change)));
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
                    array.set(i, TextNode.valueOf(textFor(key, value.textValue(), change)));
                } else {
                    rewrite(value, key, change);
                }
            }
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

    /** A variable name in text that holds a secret: {@code GITHUB_TOKEN}, {@code AWS_SECRET_ACCESS_KEY}, … */
    private static boolean isSecretName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.contains("token") || isSecretKey(name);
    }

    /** Secret-looking key: {@code *token} ({@code github_token}, not {@code input_tokens}) or a secret word inside. */
    private static boolean isSecretKey(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        if (lower.endsWith("token")) {
            return true;
        }
        for (String part : SECRET_KEY_PARTS) {
            if (lower.contains(part)) {
                return true;
            }
        }
        return false;
    }

    private String write(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a parsed payload", e);
        }
    }
}
