package io.htmlgraph.sidecar.store;

import io.helidon.dbclient.DbRow;

/** Typed reads of nullable SQLite columns (SQLite hands back Integer or Long, so numbers go through Number). */
public final class Rows {
    private Rows() {
    }

    public static String text(DbRow row, String column) {
        Object value = value(row, column);
        return value == null ? null : value.toString();
    }

    public static Long whole(DbRow row, String column) {
        Object value = value(row, column);
        return value == null ? null : ((Number) value).longValue();
    }

    public static long wholeOr0(DbRow row, String column) {
        Long value = whole(row, column);
        return value == null ? 0 : value;
    }

    public static Double real(DbRow row, String column) {
        Object value = value(row, column);
        return value == null ? null : ((Number) value).doubleValue();
    }

    /**
     * A column's position from 0, the same in every row of one result, or -1 when the result has no such column
     * (then the reads by position give null): rows read many at a time look each column up by name once per
     * result ({@link #text(DbRow, int)} and the like), not once per row. Rows of {@link Reads} only.
     */
    public static int position(DbRow row, String column) {
        if (row instanceof Reads.Row fast) {
            return fast.has(column) ? fast.position(column) : -1;
        }
        throw new UnsupportedOperationException("columns by position: rows of Reads only");
    }

    public static String text(DbRow row, int position) {
        Object value = value(row, position);
        return value == null ? null : value.toString();
    }

    public static Long whole(DbRow row, int position) {
        Object value = value(row, position);
        return value == null ? null : ((Number) value).longValue();
    }

    public static Double real(DbRow row, int position) {
        Object value = value(row, position);
        return value == null ? null : ((Number) value).doubleValue();
    }

    private static Object value(DbRow row, int position) {
        return position < 0 ? null : ((Reads.Row) row).value(position); // a position comes from a row of Reads
    }

    /** A row of {@link Reads} hands its value over directly; Helidon's through its column object. */
    private static Object value(DbRow row, String column) {
        return row instanceof Reads.Row fast ? fast.value(column) : row.column(column).asOptional().orElse(null);
    }
}
