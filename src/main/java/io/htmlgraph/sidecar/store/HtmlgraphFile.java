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
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

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
    private final Map<String, Set<String>> tableColumns = new HashMap<>();
    private final Map<String, KeyLookup> byKey = new HashMap<>();

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
        config.setCacheSize(-512); // KiB: rows are read once in rowid order, keys mostly found among recent rows
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
        if (!has(table) || !columns(table).contains(KEYS.get(table))) {
            return null;
        }
        String sql = "SELECT \"" + KEYS.get(table) + "\" FROM \"" + known(table) + "\" WHERE rowid = ?";
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            s.setLong(1, rowid);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new SourceFileException("cannot read " + table + " of " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Up to {@code limit} rows of the table with a rowid above {@code afterRowid}, in rowid order (fewer when their
     * text passes {@link #MAX_BATCH_CHARS}; at least one), with the {@code columns} asked for (those the table lacks
     * read as NULL) and its key column. A column in {@code typed} keeps its SQLite type (a number stays a number);
     * the others are read as text, through one copy of their UTF-8 bytes (the driver's text path made three, and
     * reading was most of what an import allocated); a text equal to the one above it in its column is that same
     * string (a session's rows repeat its session, agent, tool and status: fewer copies, and fewer bytes kept until
     * the batch is written). Each row is handed to {@code map} as it is read, so that only
     * what it maps to stays in memory while the rest of the batch is read (fewer objects survive a collection).
     */
    public <T> Read<T> rowsAfter(String table, Set<String> columns, Set<String> typed, long afterRowid, int limit,
                                 Function<SourceRow, T> map) {
        if (!has(table)) {
            return new Read<>(List.of(), afterRowid, null);
        }
        Set<String> present = columns(table);
        List<String> read = new ArrayList<>(columns.stream().filter(present::contains).toList());
        if (present.contains(KEYS.get(table)) && !read.contains(KEYS.get(table))) {
            read.add(KEYS.get(table));
        }
        Map<String, Integer> positions = new HashMap<>();
        columns.forEach(column -> positions.put(column, -1));
        StringBuilder sql = new StringBuilder("SELECT rowid");
        for (int i = 0; i < read.size(); i++) {
            positions.put(read.get(i), i);
            sql.append(", \"").append(read.get(i).replace("\"", "\"\"")).append('"');
        }
        sql.append(" FROM \"").append(known(table)).append("\" WHERE rowid > ? ORDER BY rowid LIMIT ?");
        boolean[] asText = new boolean[read.size()];
        for (int i = 0; i < read.size(); i++) {
            asText[i] = !typed.contains(read.get(i));
        }
        try (PreparedStatement s = connection.prepareStatement(sql.toString())) {
            s.setLong(1, afterRowid);
            s.setInt(2, limit);
            List<T> rows = new ArrayList<>();
            SourceRow last = null;
            try (ResultSet rs = s.executeQuery()) {
                long chars = 0;
                Object[] previous = new Object[read.size()];
                byte[][] previousUtf8 = new byte[read.size()][];
                while (chars < MAX_BATCH_CHARS && rs.next()) {
                    Object[] values = new Object[read.size()];
                    for (int i = 0; i < values.length; i++) {
                        Object value;
                        if (asText[i]) {
                            byte[] utf8 = rs.getBytes(i + 2);
                            value = Arrays.equals(utf8, previousUtf8[i]) ? previous[i] : text(utf8);
                            previousUtf8[i] = utf8;
                        } else {
                            value = rs.getObject(i + 2);
                        }
                        chars += value instanceof String text ? text.length() : 8;
                        values[i] = value;
                    }
                    last = new SourceRow(rs.getLong(1), positions, values);
                    rows.add(map.apply(last));
                    previous = values;
                }
            }
            return last == null ? new Read<>(rows, afterRowid, null)
                    : new Read<>(rows, last.rowid(), last.text(KEYS.get(table)));
        } catch (SQLException e) {
            throw new SourceFileException("cannot read " + table + " of " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether an index of the table begins with its key column (htmlgraph's keys are primary keys), so that
     * {@link #rowWithKey} is one index search rather than a scan of the table.
     */
    public boolean keyIndexed(String table) {
        if (!has(table)) {
            return false;
        }
        try (Statement s = connection.createStatement();
             ResultSet indexes = s.executeQuery("PRAGMA index_list(\"" + known(table) + "\")")) {
            List<String> names = new ArrayList<>();
            while (indexes.next()) {
                names.add(indexes.getString("name"));
            }
            for (String name : names) {
                try (ResultSet columns = s.executeQuery("PRAGMA index_info(\"" + name.replace("\"", "\"\"") + "\")")) {
                    if (columns.next() && KEYS.get(table).equals(columns.getString("name"))) {
                        return true;
                    }
                }
            }
            return false;
        } catch (SQLException e) {
            throw new SourceFileException("cannot read " + table + " of " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The row of the table whose key column holds {@code key}, with the {@code columns} asked for (those the table
     * lacks read as NULL), each with its SQLite type; null when no row has that key. One short statement, prepared
     * once per file: a search when {@link #keyIndexed}, else a scan of the table.
     */
    public SourceRow rowWithKey(String table, String key, List<String> columns) {
        if (!has(table) || !columns(table).contains(KEYS.get(table))) {
            return null;
        }
        try {
            KeyLookup lookup = byKey.get(table + columns);
            if (lookup == null) {
                lookup = keyLookup(table, columns);
                byKey.put(table + columns, lookup);
            }
            lookup.statement.setString(1, key);
            try (ResultSet rs = lookup.statement.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Object[] values = new Object[lookup.width];
                for (int i = 0; i < values.length; i++) {
                    values[i] = rs.getObject(i + 2);
                }
                return new SourceRow(rs.getLong(1), lookup.positions, values);
            }
        } catch (SQLException e) {
            throw new SourceFileException("cannot read " + table + " of " + file + ": " + e.getMessage(), e);
        }
    }

    /** The statement that reads the columns (those the table has) of the row with a key, prepared once. */
    private KeyLookup keyLookup(String table, List<String> columns) throws SQLException {
        List<String> read = columns.stream().filter(columns(table)::contains).toList();
        Map<String, Integer> positions = new HashMap<>();
        columns.forEach(column -> positions.put(column, read.indexOf(column)));
        StringBuilder sql = new StringBuilder("SELECT rowid");
        read.forEach(column -> sql.append(", \"").append(column.replace("\"", "\"\"")).append('"'));
        sql.append(" FROM \"").append(known(table)).append("\" WHERE \"").append(KEYS.get(table)).append("\" = ?");
        return new KeyLookup(connection.prepareStatement(sql.toString()), positions, read.size());
    }

    /** A prepared lookup by key: its statement, the positions of the columns asked for, how many it reads. */
    private record KeyLookup(PreparedStatement statement, Map<String, Integer> positions, int width) {
    }

    /**
     * Rows read and mapped, and where the read ended.
     *
     * @param lastRowid the last row's rowid (the cursor to read after next), {@code afterRowid} when none was read
     * @param lastKey   the last row's key (event id, session id …), null when none was read or it has none
     */
    public record Read<T>(List<T> rows, long lastRowid, String lastKey) {
    }

    /** A text column's UTF-8 bytes as text (SQLite gives a number's text form); null for NULL and empty text. */
    private static String text(byte[] utf8) {
        return utf8 == null || utf8.length == 0 ? null : new String(utf8, StandardCharsets.UTF_8);
    }

    /** The table's columns, read once per file. */
    private Set<String> columns(String table) {
        return tableColumns.computeIfAbsent(table, t -> {
            try {
                return columns(connection, t);
            } catch (SQLException e) {
                throw new SourceFileException("cannot read " + t + " of " + file + ": " + e.getMessage(), e);
            }
        });
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
            for (KeyLookup lookup : byKey.values()) {
                lookup.statement.close();
            }
            connection.close();
        } catch (SQLException e) {
            throw new SourceFileException("cannot close " + file + ": " + e.getMessage(), e);
        }
    }
}
