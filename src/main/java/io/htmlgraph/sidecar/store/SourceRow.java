package io.htmlgraph.sidecar.store;

import java.util.Map;

/**
 * One row of a foreign table, as its columns came (any names, any SQLite types), with its rowid: the importer reads
 * the columns it knows by name and ignores the others, so newer htmlgraph versions with more columns still import.
 */
public record SourceRow(long rowid, Map<String, Object> columns) {

    /** The column as trimmed text; null when absent, NULL or blank. */
    public String text(String column) {
        Object value = columns.get(column);
        if (value == null) {
            return null;
        }
        String text = value.toString().trim();
        return text.isEmpty() ? null : text;
    }

    /** The first of the columns that has text. */
    public String text(String column, String fallback) {
        String text = text(column);
        return text != null ? text : text(fallback);
    }

    /** The column's raw value (a number stays a number). */
    public Object value(String column) {
        return columns.get(column);
    }
}
