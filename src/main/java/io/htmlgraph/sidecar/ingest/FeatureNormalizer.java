package io.htmlgraph.sidecar.ingest;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Set;

import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.htmlgraph.sidecar.domain.BadInputException;
import io.htmlgraph.sidecar.domain.ErrorCode;
import io.htmlgraph.sidecar.domain.FeatureChange;
import io.htmlgraph.sidecar.domain.FeatureStatus;
import io.htmlgraph.sidecar.domain.Vocabulary;

/** Checks a feature create or update body: known types, statuses and priorities, a title when creating. */
public final class FeatureNormalizer {
    static final Set<String> TYPES = Set.of("feature", "bug", "spike", "chore", "epic", "task");
    /** The kanban columns. */
    public static final Set<String> STATUSES = Vocabulary.values(FeatureStatus.class);
    static final Set<String> PRIORITIES = Set.of("low", "medium", "high", "critical");
    private static final int MAX_TITLE = 200;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Sanitizer sanitizer;

    FeatureNormalizer(Sanitizer sanitizer) {
        this.sanitizer = sanitizer;
    }

    /** @param id the feature to change, or null to create one (with a new id) */
    FeatureChange normalize(ObjectNode body, String id, Instant at) {
        for (String field : new String[] {"title", "type", "description", "status", "priority", "assigned_to"}) {
            Fields.checkType(body, field, JsonNodeType.STRING);
        }
        boolean create = id == null;
        String title = create ? Fields.requiredText(body, "title") : Summaries.text(body, "title");
        if (title != null && (title.isBlank() || title.length() > MAX_TITLE)) {
            throw new BadInputException(ErrorCode.INVALID_FIELD, "'title' must be 1 to " + MAX_TITLE + " characters");
        }
        sanitizer.clean(body);
        return new FeatureChange(at, create ? "feat-" + HexFormat.of().toHexDigits(RANDOM.nextInt()) : id, create,
                Summaries.text(body, "title"), oneOf(body, "type", TYPES), Summaries.text(body, "description"),
                oneOf(body, "status", STATUSES), oneOf(body, "priority", PRIORITIES),
                Summaries.text(body, "assigned_to"));
    }

    private static String oneOf(ObjectNode body, String field, Set<String> allowed) {
        String value = Summaries.text(body, field);
        if (value != null && !allowed.contains(value)) {
            throw new BadInputException(ErrorCode.INVALID_FIELD,
                    "'" + field + "' must be one of " + String.join(", ", allowed.stream().sorted().toList()));
        }
        return value;
    }
}
