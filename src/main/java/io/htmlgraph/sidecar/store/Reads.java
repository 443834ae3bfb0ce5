package io.htmlgraph.sidecar.store;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import javax.sql.DataSource;

import io.helidon.common.GenericType;
import io.helidon.common.mapper.MapperManager;
import io.helidon.dbclient.DbColumn;
import io.helidon.dbclient.DbColumnBase;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbStatementException;
import org.sqlite.core.Codes;
import org.sqlite.core.CoreStatement;
import org.sqlite.core.DB;
import org.sqlite.core.SafeStmtPtr;

/**
 * The read routes' named statements on plain JDBC, handing back {@link DbRow}s that {@link Rows} reads. Why not
 * Helidon's JDBC client here: it reads every column's metadata (name, declared type, Java class — the last through a
 * regular expression in sqlite-jdbc) again for every row, which on a cold page of a few hundred tree rows was 70–80 %
 * of the request's CPU (a JFR profile of the grouped feed at 1M events; docs/performance.md). Here the column names
 * are read once per result. The methods mirror {@code DbClient}'s ({@code execute().namedQuery(…)}), so a query
 * class reads the same whichever it holds.
 * <p>
 * A {@link ReadPool} thread reads through a connection of its own, each statement prepared once and kept (with its
 * result's column names); any other thread (the live stream's, the metrics collector's, a request's for the page
 * shell) borrows a connection from the pool and prepares its statement. Why: the pool's loans of a connection and of
 * a cached statement were about a fifth of the Java samples of a cold {@code /api/initial-stats}, which runs a few
 * small statements (docs/performance.md: the read path's pool); the other threads run a statement or two at a time.
 */
public final class Reads implements AutoCloseable {
    private final DataSource pool;
    private final Opener opener;
    /** The calling reader thread's own connection, opened at its first read. */
    private final ThreadLocal<Own> own = new ThreadLocal<>();
    /** Every reader thread's own connection, to close with the store. */
    private final Set<Own> owned = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    Reads(DataSource pool, Opener opener) {
        this.pool = pool;
        this.opener = opener;
    }

    /** Opens a read connection like the pool's. */
    @FunctionalInterface
    interface Opener {
        Connection open() throws SQLException;
    }

    /** This, so that {@code db.execute().namedGet(…)} reads as with a {@code DbClient}. */
    public Reads execute() {
        return this;
    }

    /** A statement without parameters; the stream holds a connection until it is closed or read to its end. */
    public Stream<DbRow> namedQuery(String statement) {
        return query(statement, List.of());
    }

    /** The first row of a statement without parameters. */
    public Optional<DbRow> namedGet(String statement) {
        return get(statement, List.of());
    }

    Optional<DbRow> get(String statement, List<Object> params) {
        try (Stream<DbRow> rows = query(statement, params)) {
            return rows.findFirst();
        }
    }

    /** Rows of a named statement, its parameters bound by position (see {@link Statements#parameterOrder}). */
    Stream<DbRow> query(String statement, List<Object> params) {
        Lease lease = lease(statement, params);
        try {
            ResultSet result = lease.prepared.executeQuery();
            Cursor cursor = new Cursor(lease, result, lease.columns(result), statement);
            return StreamSupport.stream(cursor, false).onClose(cursor::close);
        } catch (SQLException e) {
            lease.discard();
            throw failed(statement, e);
        }
    }

    /**
     * Rows of a named statement, each handed to {@code reader} while the result is on it, which reads only the
     * columns it needs, by position, straight off the statement (no row of values in between): for the pages of tree
     * rows (about 450 rows of 22 columns for 50 turns), events, sessions and the orchestration report's 1,000
     * handoffs. Parameters as for {@link #query}.
     * <p>
     * The columns are read through sqlite-jdbc's own native calls ({@code org.sqlite.core.DB}, public), one
     * {@code safeRun} per row: its JDBC getters make one per column, each allocating a capturing lambda, which under
     * the launcher's C1-only JIT goes through {@code Unsafe.allocateInstance} — with the JNI call itself about 100 ns
     * a column, 45 of them saved (docs/performance.md: the tree routes, round two).
     */
    <T> List<T> list(String statement, List<Object> params, RowReader<T> reader) {
        List<T> rows = new ArrayList<>();
        each(statement, params, reader, rows::add);
        return rows;
    }

    /**
     * As {@link #list}, each row handed to {@code sink} as soon as it is read, until it answers false (an export's
     * page ends at a size, not at a count of rows).
     */
    <T> void each(String statement, List<Object> params, RowReader<T> reader, Predicate<? super T> sink) {
        Lease lease = lease(statement, params);
        try (ResultSet result = lease.prepared.executeQuery()) {
            Current row = new Current(result);
            SafeStmtPtr stmt = lease.prepared.unwrap(CoreStatement.class).pointer;
            SafeStmtPtr.SafePtrFunction<T, SQLException> read = (db, pointer) -> {
                row.on(db, pointer);
                return reader.read(row);
            };
            while (result.next()) {
                if (!sink.test(stmt.safeRun(read))) {
                    break;
                }
            }
        } catch (SQLException e) {
            lease.discard();
            throw failed(statement, e);
        } catch (RuntimeException | Error e) {
            lease.discard();
            throw e;
        }
        lease.giveBack();
    }

    private static DbStatementException failed(String statement, SQLException e) {
        return new DbStatementException("read " + statement + " failed: " + e.getMessage(), statement, e);
    }

    /** The named statement with its parameters bound: the reader thread's own, else the pool's. */
    private Lease lease(String statement, List<Object> params) {
        Lease lease;
        try {
            Own mine = ReadPool.onReaderThread() ? own() : null;
            lease = mine != null ? mine.lend(statement) : pooled(statement);
        } catch (SQLException e) {
            throw failed(statement, e);
        }
        try {
            for (int i = 0; i < params.size(); i++) {
                lease.prepared.setObject(i + 1, params.get(i));
            }
            return lease;
        } catch (SQLException e) {
            lease.discard();
            throw failed(statement, e);
        }
    }

    private Lease pooled(String statement) throws SQLException {
        Connection connection = pool.getConnection();
        try {
            return new Lease(connection.prepareStatement(Statements.all().statement(statement)), connection, null,
                             statement);
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }

    /**
     * The calling reader thread's own connection, opened at its first read; null when the store is closed or the
     * file cannot be opened (deleted underneath: the pool's open connections still read it).
     */
    private Own own() {
        Own mine = own.get();
        if (mine == null && !closed) {
            try {
                mine = new Own(opener.open());
            } catch (SQLException e) {
                return null;
            }
            owned.add(mine);
            own.set(mine);
            if (closed) { // closed while opening: close() may have missed it
                mine.close();
            }
        }
        return mine;
    }

    /** Closes the reader threads' own connections (each once its statements under way are given back). */
    @Override
    public void close() {
        closed = true;
        owned.forEach(Own::close);
    }

    /** Reads the row a result is on into a value. */
    @FunctionalInterface
    public interface RowReader<T> {
        T read(Current row) throws SQLException;
    }

    /**
     * A reader of named columns by position: the positions are looked up on the first row it reads, so one reader
     * serves one result (make one per query).
     */
    public abstract static class ByPosition<T> implements RowReader<T> {
        private final String[] names;
        private int[] at;

        protected ByPosition(String... names) {
            this.names = names;
        }

        @Override
        public final T read(Current row) throws SQLException {
            if (at == null) {
                at = row.columns(names);
            }
            return read(row, at);
        }

        /** Reads the row; {@code at} holds the columns' positions in the order of the names (0: no such column). */
        protected abstract T read(Current row, int[] at) throws SQLException;
    }

    /**
     * The row a result is on, its columns read by position (from 1). {@link #text} reads a column's bytes (one native
     * call; sqlite-jdbc's {@code getString} wraps them in a direct buffer and copies them twice), for columns that
     * hold text or integers, not reals (SQLite would print those to 15 digits). {@link #whole} and {@link #real} make
     * a second call only for a zero, to tell it from NULL. Valid only inside {@link RowReader#read}.
     */
    public static final class Current {
        private final ResultSet result;
        /** Texts of {@link #repeated} columns, by a hash of their bytes: the last one read per slot. */
        private final String[] seen = new String[64];
        private DB db;
        private long pointer;

        Current(ResultSet result) {
            this.result = result;
        }

        /** The statement's native handle for the row being read (sqlite-jdbc's {@code safeRun} hands it over). */
        void on(DB db, long pointer) {
            this.db = db;
            this.pointer = pointer;
        }

        /**
         * The columns' positions from 1, the same in every row of the result (a reader looks them up on its first
         * row); 0 for a name the result has no column of.
         */
        public int[] columns(String... names) throws SQLException {
            ResultSetMetaData meta = result.getMetaData();
            Map<String, Integer> positions = new HashMap<>();
            for (int i = meta.getColumnCount(); i >= 1; i--) {
                positions.put(meta.getColumnLabel(i), i); // the first of two equal names wins, as in rows
            }
            int[] at = new int[names.length];
            for (int i = 0; i < names.length; i++) {
                at[i] = positions.getOrDefault(names[i], 0);
            }
            return at;
        }

        /** The column's text, or null; null for column 0 (absent). */
        public String text(int column) throws SQLException {
            if (column == 0) {
                return null;
            }
            byte[] utf8 = db.column_blob(pointer, column - 1);
            return utf8 == null ? null : new String(utf8, StandardCharsets.UTF_8);
        }

        /**
         * As {@link #text}, for a column whose values many rows of the result repeat (a session, an agent, a tool, a
         * status, a parent): a value equal to one read before in its slot is that same string, so a page of 450 tree
         * rows makes a few dozen strings for those columns instead of one per row (docs/performance.md: allocation
         * of the tree routes).
         */
        public String repeated(int column) throws SQLException {
            if (column == 0) {
                return null;
            }
            byte[] utf8 = db.column_blob(pointer, column - 1);
            if (utf8 == null) {
                return null;
            }
            int slot = Arrays.hashCode(utf8) & (seen.length - 1);
            String known = seen[slot];
            if (known != null && sameAscii(known, utf8)) {
                return known;
            }
            String text = new String(utf8, StandardCharsets.UTF_8);
            seen[slot] = text;
            return text;
        }

        /** Whether the bytes are ASCII and spell the text (a text with other characters never matches). */
        private static boolean sameAscii(String text, byte[] utf8) {
            if (text.length() != utf8.length) {
                return false;
            }
            for (int i = 0; i < utf8.length; i++) {
                if (text.charAt(i) != utf8[i]) {
                    return false;
                }
            }
            return true;
        }

        /** The column's integer, or null; null for column 0 (absent). */
        public Long whole(int column) throws SQLException {
            if (column == 0) {
                return null;
            }
            long value = db.column_long(pointer, column - 1);
            return value == 0 && db.column_type(pointer, column - 1) == Codes.SQLITE_NULL ? null : value;
        }

        /** Whether a column that is never NULL (a condition, 0 or 1) is true. */
        public boolean flag(int column) throws SQLException {
            return db.column_long(pointer, column - 1) != 0;
        }

        /** The column's number as a double, or null; null for column 0 (absent). */
        public Double real(int column) throws SQLException {
            if (column == 0) {
                return null;
            }
            double value = db.column_double(pointer, column - 1);
            return value == 0 && db.column_type(pointer, column - 1) == Codes.SQLITE_NULL ? null : value;
        }
    }

    /**
     * A prepared statement lent to one query, with its parameters bound: a reader thread's own, kept for its next
     * query, or one borrowed with its connection from the pool. Closing a result resets its statement, which ends
     * the read's snapshot, so a kept statement holds none.
     */
    private static final class Lease {
        private final PreparedStatement prepared;
        private final Connection pooled;
        private final Own owner;
        private final String statement;

        Lease(PreparedStatement prepared, Connection pooled, Own owner, String statement) {
            this.prepared = prepared;
            this.pooled = pooled;
            this.owner = owner;
            this.statement = statement;
        }

        /** The result's column names: read once per kept statement, per query otherwise. */
        Columns columns(ResultSet result) throws SQLException {
            return owner == null ? Columns.of(result) : owner.columns(statement, result);
        }

        /** Ends the loan of a statement whose result was closed: a kept statement serves the next query. */
        void giveBack() {
            if (owner != null) {
                owner.giveBack(statement, prepared);
            } else {
                closeQuietly(prepared, pooled);
            }
        }

        /** Ends the loan after a failure: the statement is closed, not kept. */
        void discard() {
            if (owner != null) {
                owner.discard(prepared);
            } else {
                closeQuietly(prepared, pooled);
            }
        }
    }

    private static void closeQuietly(AutoCloseable... resources) {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception ignored) {
                // ending a read: nothing to undo, and the read's own outcome is what counts
            }
        }
    }

    /**
     * A reader thread's own connection and its prepared statements by name, used by that thread only; closed by the
     * store (another thread), hence the locks, which are never contended while it is open.
     */
    private static final class Own {
        private final Connection connection;
        private final Map<String, PreparedStatement> idle = new HashMap<>();
        private final Map<String, Columns> columns = new HashMap<>();
        private int lent;
        private boolean closed;

        Own(Connection connection) {
            this.connection = connection;
        }

        /** The statement, prepared at its first use; a second one while the first is lent (a nested read). */
        synchronized Lease lend(String statement) throws SQLException {
            if (closed) {
                throw new SQLException("the store is closed");
            }
            PreparedStatement prepared = idle.remove(statement);
            if (prepared == null) {
                prepared = connection.prepareStatement(Statements.all().statement(statement));
            }
            lent++;
            return new Lease(prepared, null, this, statement);
        }

        synchronized Columns columns(String statement, ResultSet result) throws SQLException {
            Columns known = columns.get(statement);
            if (known == null) {
                known = Columns.of(result);
                columns.put(statement, known);
            }
            return known;
        }

        synchronized void giveBack(String statement, PreparedStatement prepared) {
            lent--;
            if (closed || idle.putIfAbsent(statement, prepared) != null) {
                closeQuietly(prepared);
            }
            closeIfDone();
        }

        synchronized void discard(PreparedStatement prepared) {
            lent--;
            closeQuietly(prepared);
            closeIfDone();
        }

        synchronized void close() {
            closed = true;
            closeIfDone();
        }

        private void closeIfDone() {
            if (closed && lent == 0) {
                idle.values().forEach(Reads::closeQuietly);
                idle.clear();
                closeQuietly(connection);
            }
        }
    }

    /** Walks a result set row by row; closes it and ends its statement's loan at the end or on close. */
    private static final class Cursor extends Spliterators.AbstractSpliterator<DbRow> {
        private final Lease lease;
        private final ResultSet result;
        private final String statement;
        private final Columns columns;
        private boolean closed;

        Cursor(Lease lease, ResultSet result, Columns columns, String statement) {
            super(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL);
            this.lease = lease;
            this.result = result;
            this.statement = statement;
            this.columns = columns;
        }

        @Override
        public boolean tryAdvance(Consumer<? super DbRow> action) {
            if (closed) {
                return false;
            }
            try {
                if (!result.next()) {
                    close();
                    return false;
                }
                action.accept(columns.row(result));
                return true;
            } catch (SQLException e) {
                close();
                throw failed(statement, e);
            }
        }

        void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                result.close();
                lease.giveBack();
            } catch (SQLException e) {
                lease.discard();
            }
        }
    }

    /**
     * A result's column names, read once (sqlite-jdbc answers each metadata call natively), and its rows. A column
     * of a table declared {@code TEXT} is read as bytes and decoded here: sqlite-jdbc's {@code getObject} asks for
     * the value's type, then wraps the text in a direct buffer, copies it to an array and copies that into a
     * string, a lambda per call — most of a read route's allocation (docs/performance.md). TEXT affinity
     * stores every value of such a column as text or NULL, so the value is the same string.
     */
    record Columns(String[] names, Map<String, Integer> index, boolean[] text) {
        static Columns of(ResultSet result) throws SQLException {
            ResultSetMetaData meta = result.getMetaData();
            String[] names = new String[meta.getColumnCount()];
            boolean[] text = new boolean[names.length];
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < names.length; i++) {
                names[i] = meta.getColumnLabel(i + 1);
                index.putIfAbsent(names[i], i);
                text[i] = declaredText(meta, i + 1);
            }
            return new Columns(names, index, text);
        }

        /** A column of a table (not an expression, whose type may change from row to row) declared TEXT. */
        private static boolean declaredText(ResultSetMetaData meta, int column) throws SQLException {
            String table = meta.getTableName(column);
            return table != null && !table.isEmpty() && "TEXT".equals(meta.getColumnTypeName(column));
        }

        /** The row the result is on. */
        Row row(ResultSet result) throws SQLException {
            Object[] values = new Object[names.length];
            for (int i = 0; i < values.length; i++) {
                if (text[i]) {
                    byte[] utf8 = result.getBytes(i + 1);
                    values[i] = utf8 == null ? null : new String(utf8, StandardCharsets.UTF_8);
                } else {
                    values[i] = result.getObject(i + 1);
                }
            }
            return new Row(names, index, values);
        }
    }

    /** One row: the values by position, the result's names shared by all its rows. */
    static final class Row implements DbRow {
        private final String[] names;
        private final Map<String, Integer> index;
        private final Object[] values;

        Row(String[] names, Map<String, Integer> index, Object[] values) {
            this.names = names;
            this.index = index;
            this.values = values;
        }

        /** The column's value (null for SQL NULL); an unknown name is an error, as with Helidon's rows. */
        Object value(String name) {
            return values[position(name)];
        }

        /** The column's position from 0, the same in every row of a result. */
        private int position(String name) {
            Integer i = index.get(name);
            if (i == null) {
                throw new IllegalArgumentException("no column " + name + " in this row");
            }
            return i;
        }

        @Override
        public DbColumn column(String name) {
            return column(position(name) + 1);
        }

        @Override
        public DbColumn column(int position) {
            return new Column(names[position - 1], values[position - 1]);
        }

        @Override
        public void forEach(Consumer<? super DbColumn> consumer) {
            for (int i = 1; i <= values.length; i++) {
                consumer.accept(column(i));
            }
        }

        @Override
        public <T> T as(Class<T> type) {
            throw new UnsupportedOperationException("map rows with Rows, not with a mapper");
        }

        @Override
        public <T> T as(GenericType<T> type) {
            throw new UnsupportedOperationException("map rows with Rows, not with a mapper");
        }

        @Override
        public <T> T as(java.util.function.Function<DbRow, T> mapper) {
            return mapper.apply(this);
        }
    }

    private static final class Column extends DbColumnBase {
        private final String name;

        Column(String name, Object value) {
            super(value, MapperManager.global());
            this.name = name;
        }

        @Override
        public Class<?> javaType() {
            return rawValue() == null ? Object.class : rawValue().getClass();
        }

        @Override
        public String dbType() {
            return rawValue() == null ? "NULL" : rawValue().getClass().getSimpleName();
        }

        @Override
        public String name() {
            return name;
        }
    }
}
