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

    /** A row of {@link Reads} hands its value over directly; Helidon's through its column object. */
    private static Object value(DbRow row, String column) {
        return row instanceof Reads.Row fast ? fast.value(column) : row.column(column).asOptional().orElse(null);
    }
}
