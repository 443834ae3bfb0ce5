package io.htmlgraph.sidecar.domain;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A word of the shared vocabulary (statuses, states): an enum constant whose stored and answered form is its name in
 * lower case, so that the Java code, the SQL and the JSON spell it one way.
 */
public interface Vocabulary {
    /** The enum constant's name. */
    String name();

    /** As stored and answered, e.g. {@code in_progress}. */
    default String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a stored value is this word. */
    default boolean is(String stored) {
        return value().equals(stored);
    }

    /** Every value of a vocabulary, e.g. for a route's filter. */
    static <E extends Enum<E> & Vocabulary> Set<String> values(Class<E> type) {
        return EnumSet.allOf(type).stream().map(Vocabulary::value).collect(Collectors.toUnmodifiableSet());
    }
}
