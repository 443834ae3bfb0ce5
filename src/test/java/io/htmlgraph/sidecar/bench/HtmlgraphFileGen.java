package io.htmlgraph.sidecar.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Generates a large htmlgraph-shaped database file for the import benchmark (not a test): a copy of a real
 * htmlgraph file whose {@code agent_events} and {@code sessions} rows are replicated with suffixed ids (so the
 * copies keep the original's mix of quirks: duplicate results, dangling parents, every timestamp form). Copy k is
 * moved k × {@link #COPY_DAYS} days later, text times keeping their form: in a real file, written as events happen,
 * rowid order is time order (the fixture has one inversion in 4,075 rows); copies all in the original's days would
 * scatter every imported batch over each time-ordered index.
 * <pre>
 * java -cp ... io.htmlgraph.sidecar.bench.HtmlgraphFileGen SOURCE.sqlite OUT.db 1000000
 * </pre>
 */
public final class HtmlgraphFileGen {
    /** Days between copies: more than the fixture spans (2026-01-08 to 2026-01-10). */
    private static final int COPY_DAYS = 3;

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
            // ?1: the copy's number, ?2: how far its times move ('+3 days')
            String select = String.join(", ", columns(s, "agent_events").stream().map(col -> switch (col) {
                case "event_id", "session_id", "parent_event_id" -> col + " || '-r' || ?1";
                case "timestamp", "created_at", "updated_at" -> moved(col);
                default -> col;
            }).toList());
            String events = "INSERT INTO agent_events SELECT " + select + " FROM agent_events WHERE rowid <= "
                    + maxRowid(s, "agent_events");
            String sessions = "INSERT INTO sessions (session_id, agent_assigned, status, started_at)"
                    + " SELECT session_id || '-r' || ?1, agent_assigned, status, " + moved("started_at")
                    + " FROM sessions WHERE rowid <= " + maxRowid(s, "sessions");
            try (PreparedStatement copyEvents = c.prepareStatement(events);
                 PreparedStatement copySessions = c.prepareStatement(sessions)) {
                for (long copy = 1; original * (copy + 1) <= rows || copy == 1; copy++) {
                    for (PreparedStatement statement : List.of(copyEvents, copySessions)) {
                        statement.setLong(1, copy);
                        statement.setString(2, "+" + copy * COPY_DAYS + " days");
                        statement.executeUpdate();
                    }
                }
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

    /** A time column moved by ?2 when it is text starting with a date; other values as they are. */
    private static String moved(String column) {
        return "CASE WHEN typeof(" + column + ") = 'text' AND length(" + column + ") >= 10 THEN strftime('%Y-%m-%d',"
               + " substr(" + column + ", 1, 10), ?2) || substr(" + column + ", 11) ELSE " + column + " END";
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
