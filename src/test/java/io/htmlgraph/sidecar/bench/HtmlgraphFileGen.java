package io.htmlgraph.sidecar.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Generates a large htmlgraph-shaped database file for the import benchmark (not a test): a copy of a real
 * htmlgraph file whose {@code agent_events} and {@code sessions} rows are replicated with suffixed ids (so the
 * copies keep the original's mix of quirks: duplicate results, dangling parents, every timestamp form).
 * <pre>
 * java -cp ... io.htmlgraph.sidecar.bench.HtmlgraphFileGen SOURCE.sqlite OUT.db 1000000
 * </pre>
 */
public final class HtmlgraphFileGen {
    private HtmlgraphFileGen() {
    }

    public static void main(String[] args) throws Exception {
        Path source = Path.of(args[0]);
        Path out = Path.of(args[1]);
        long rows = Long.parseLong(args[2]);
        Files.copy(source, out, StandardCopyOption.REPLACE_EXISTING);
        long t0 = System.nanoTime();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + out);
             Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode = DELETE");
            s.execute("PRAGMA synchronous = OFF");
            c.setAutoCommit(false);
            long original = count(s, "agent_events");
            List<String> columns = columns(s, "agent_events");
            String select = String.join(", ", columns.stream().map(col -> switch (col) {
                case "event_id", "session_id", "parent_event_id" -> col + " || '-r' || ?";
                default -> col;
            }).toList());
            String insert = "INSERT INTO agent_events (" + String.join(", ", columns) + ") SELECT "
                    + select.replace("?", "%d") + " FROM agent_events WHERE rowid <= " + maxRowid(s);
            String sessions = "INSERT INTO sessions (session_id, agent_assigned, status, started_at)"
                    + " SELECT session_id || '-r%d', agent_assigned, status, started_at FROM sessions"
                    + " WHERE rowid <= " + maxRowid(s, "sessions");
            for (long copy = 1; original * (copy + 1) <= rows || copy == 1; copy++) {
                s.executeUpdate(String.format(insert, copy, copy, copy));
                s.executeUpdate(String.format(sessions, copy));
            }
            c.commit();
            System.out.printf("generated %s: %d agent_events rows in %.1f s%n", out, count(s, "agent_events"),
                              (System.nanoTime() - t0) / 1e9);
        }
    }

    private static long count(Statement s, String table) throws Exception {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static long maxRowid(Statement s) throws Exception {
        return maxRowid(s, "agent_events");
    }

    private static long maxRowid(Statement s, String table) throws Exception {
        try (ResultSet rs = s.executeQuery("SELECT max(rowid) FROM " + table)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static List<String> columns(Statement s, String table) throws Exception {
        List<String> names = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (rs.next()) {
                names.add(rs.getString("name"));
            }
        }
        return names;
    }
}
