package io.htmlgraph.sidecar.store;

import java.util.Map;

/**
 * One row of a foreign table, as its columns came (any names, any SQLite types), with its rowid: only the columns the
 * importer maps are read, by name, so newer htmlgraph versions with more columns still import.
 * The rows of one read share one map of column positions (a map per row was a fifth of what reading allocated).
 */
public final class SourceRow {
    private final long rowid;
    private final Map<String, Integer> positions;
    private final Object[] values;

    /** The row's values in the order of {@code positions} (column name to index; -1 for a column the table lacks). */
    public SourceRow(long rowid, Map<String, Integer> positions, Object[] values) {
        this.rowid = rowid;
        this.positions = positions;
        this.values = values;
    }

    public long rowid() {
        return rowid;
    }

    /** The column as trimmed text; null when absent, NULL or blank. */
    public String text(String column) {
        Object value = value(column);
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

    /**
     * The column's value as read (a typed column's number stays a number); null when the table lacks it or NULL.
     *
     * @throws IllegalArgumentException when the column was not asked for when reading
     */
    public Object value(String column) {
        Integer position = positions.get(column);
        if (position == null) {
            throw new IllegalArgumentException("column " + column + " was not read");
        }
        return position < 0 ? null : values[position];
    }
}
