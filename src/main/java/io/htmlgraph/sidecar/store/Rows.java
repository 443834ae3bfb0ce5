package io.htmlgraph.sidecar.store;

import io.helidon.dbclient.DbRow;

/** Typed reads of nullable SQLite columns (SQLite hands back Integer or Long, so numbers go through Number). */
final class Rows {
    private Rows() {
    }

    static String text(DbRow row, String column) {
        Object value = row.column(column).asOptional().orElse(null);
        return value == null ? null : value.toString();
    }

    static Long whole(DbRow row, String column) {
        Object value = row.column(column).asOptional().orElse(null);
        return value == null ? null : ((Number) value).longValue();
    }

    static long wholeOr0(DbRow row, String column) {
        Long value = whole(row, column);
        return value == null ? 0 : value;
    }

    static Double real(DbRow row, String column) {
        Object value = row.column(column).asOptional().orElse(null);
        return value == null ? null : ((Number) value).doubleValue();
    }
}
