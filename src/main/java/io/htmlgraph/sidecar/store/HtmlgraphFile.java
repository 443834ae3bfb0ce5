package io.htmlgraph.sidecar.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.sqlite.SQLiteConfig;

/**
 * An htmlgraph database file opened read-only ({@code mode=ro}): never written, each read a short statement of its
 * own (no transaction held between reads), so htmlgraph's hooks keep writing while we read. Rows are read by rowid,
 * a cursor that text timestamps cannot give. A file that is not an htmlgraph database is refused on open.
 */
public final class HtmlgraphFile implements AutoCloseable {
    /** The tables imported, in the order a pass reads them (sessions before their events). */
    public static final List<String> TABLES = List.of("sessions", "agent_events", "tracks", "features",
                                                      "agent_collaboration");
    /** Each table's key column: what identifies a row whatever its rowid. */
    public static final Map<String, String> KEYS = Map.of("sessions", "session_id", "agent_events", "event_id",
            "tracks", "track_id", "features", "id", "agent_collaboration", "handoff_id");
    private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    private static final int BUSY_TIMEOUT_MS = 2000;
    /** A batch stops early past this much text, so that rows with large texts cannot fill a small heap. */
    private static final long MAX_BATCH_CHARS = 4_000_000;

    private final Path file;
    private final Connection connection;
    private final Set<String> tables;

    private HtmlgraphFile(Path file, Connection connection, Set<String> tables) {
        this.file = file;
        this.connection = connection;
        this.tables = tables;
    }

    /**
     * Opens the file read-only and checks that it is an htmlgraph database.
     *
     * @throws SourceFileException when it is missing, unreadable, not SQLite, or has no htmlgraph event table
     */
    public static HtmlgraphFile open(Path file) {
        checkHeader(file);
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        String url = "jdbc:sqlite:file:" + file.toAbsolutePath().toUri().getRawPath() + "?mode=ro";
        try {
            Connection connection = DriverManager.getConnection(url, config.toProperties());
            try {
                Set<String> tables = tableNames(connection);
                if (tables.contains("import_cursors")) { // importing a store into itself would never end
                    throw new SourceFileException(file + " is an htmlgraph-sidecar store, not an htmlgraph database");
                }
                Set<String> columns = columns(connection, "agent_events");
                if (!columns.containsAll(List.of("event_id", "session_id", "timestamp"))) {
                    throw new SourceFileException(file + " is not an htmlgraph database: it has no agent_events table"
                            + " with event_id, session_id and timestamp (its tables: " + tables + ")");
                }
                return new HtmlgraphFile(file, connection, tables);
            } catch (RuntimeException | SQLException e) {
                connection.close();
                throw e;
            }
        } catch (SQLException e) {
            throw new SourceFileException("cannot read " + file + " as an htmlgraph database: " + e.getMessage(), e);
        }
    }

    private static void checkHeader(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new SourceFileException("no htmlgraph database at " + file + " (not a file)");
        }
        try (InputStream in = Files.newInputStream(file)) {
            if (!Arrays.equals(in.readNBytes(SQLITE_HEADER.length), SQLITE_HEADER)) {
                throw new SourceFileException(file + " is not an htmlgraph database: not a SQLite file");
            }
        } catch (IOException e) {
            throw new SourceFileException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * What the file is right now: its inode (a replaced file has another) and a hash of its tables' schema.
     * Growing the file keeps the identity; replacing it or changing its schema does not.
     */
    public String identity() {
        try {
            Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
            StringBuilder schema = new StringBuilder();
            try (Statement s = connection.createStatement();
                 ResultSet rs = s.executeQuery(
                         "SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
                while (rs.next()) {
                    if (TABLES.contains(rs.getString(1))) {
                        schema.append(rs.getString(2)).append('\n');
                    }
                }
            }
            return "file=" + key + ";schema=" + Integer.toHexString(schema.toString().hashCode());
        } catch (IOException | SQLException e) {
            throw new SourceFileException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Whether the file has the table (older and newer htmlgraph versions differ). */
    public boolean has(String table) {
        return tables.contains(table);
    }

    /** The table's highest rowid, 0 when empty or absent. */
    public long maxRowid(String table) {
        if (!has(table)) {
            return 0;
        }
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT coalesce(max(rowid), 0) FROM \"" + known(table) + "\"")) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            throw new SourceFileException("cannot read " + table + " of " + file + ": " + e.getMessage(), e);
        }
    }

    /** The key of the table's row at {@code rowid}, null when there is none (or no key column). */
    public String keyAt(String table, long rowid) {
        if (!has(table)) {
            return null;
        }
        String sql = "SELECT * FROM \"" + known(table) + "\" WHERE rowid = ?";
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            s.setLong(1, rowid);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && columns(rs).contains(KEYS.get(table)) ? rs.getString(KEYS.get(table)) : null;
            }
        } catch (SQLException e) {
            throw new SourceFileException("cannot read " + table + " of " + file + ": " + e.getMessage(), e);
        }
    }

    private static Set<String> columns(ResultSet rs) throws SQLException {
        Set<String> names = new HashSet<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
            names.add(rs.getMetaData().getColumnLabel(i));
        }
        return names;
    }

    /**
     * Up to {@code limit} rows of the table with a rowid above {@code afterRowid}, in rowid order (fewer when their
     * text passes {@link #MAX_BATCH_CHARS}; at least one).
     */
    public List<SourceRow> rowsAfter(String table, long afterRowid, int limit) {
        if (!has(table)) {
            return List.of();
        }
        String sql = "SELECT rowid AS \"_rowid_\", * FROM \"" + known(table)
                     + "\" WHERE rowid > ? ORDER BY rowid LIMIT ?";
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            s.setLong(1, afterRowid);
            s.setInt(2, limit);
            List<SourceRow> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                int count = meta.getColumnCount();
                Map<String, Integer> positions = new HashMap<>(); // read once: sqlite-jdbc answers each call natively
                for (int i = 2; i <= count; i++) {
                    positions.put(meta.getColumnLabel(i), i - 2);
                }
                long chars = 0;
                while (chars < MAX_BATCH_CHARS && rs.next()) {
                    Object[] values = new Object[count - 1];
                    for (int i = 2; i <= count; i++) {
                        Object value = rs.getObject(i);
                        chars += value instanceof String text ? text.length() : 8;
                        values[i - 2] = value;
                    }
                    rows.add(new SourceRow(rs.getLong(1), positions, values));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new SourceFileException("cannot read " + table + " of " + file + ": " + e.getMessage(), e);
        }
    }

    private static String known(String table) {
        if (!TABLES.contains(table)) {
            throw new IllegalArgumentException("not an imported table: " + table);
        }
        return table;
    }

    private static Set<String> tableNames(Connection connection) throws SQLException {
        Set<String> names = new HashSet<>();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private static Set<String> columns(Connection connection, String table) throws SQLException {
        Set<String> names = new HashSet<>();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA table_info(\"" + table + "\")")) {
            while (rs.next()) {
                names.add(rs.getString("name"));
            }
        }
        return names;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new SourceFileException("cannot close " + file + ": " + e.getMessage(), e);
        }
    }
}
