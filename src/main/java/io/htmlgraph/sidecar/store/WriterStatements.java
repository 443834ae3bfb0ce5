package io.htmlgraph.sidecar.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;

/**
 * The writer's named statements over plain JDBC, inside the writer's DbClient transaction: each prepared once and
 * kept for the connection's lifetime, parameters bound by position. {@link Binder} uses them for the transaction
 * they are {@linkplain #bind bound} to, Helidon's statement API for everything else.
 * <p>
 * Why: per row, Helidon's statement objects, DBCP's statement cache (which compares the full SQL text) and
 * parameter handling cost more than SQLite's own work (README, Design notes: the writer's hot path).
 */
@SuppressWarnings("removal") // DbColumnBase, Helidon's own row type, still takes the deprecated MapperManager in 4.5
public final class WriterStatements implements AutoCloseable {
    private static final ThreadLocal<WriterStatements> BOUND = new ThreadLocal<>();

    private final Connection connection;
    private final Map<String, PreparedStatement> prepared = new HashMap<>();
    private final Map<String, Reads.Columns> columns = new HashMap<>();
    private DbExecute tx;

    WriterStatements(Connection connection) {
        this.connection = connection;
    }

    /** The statements bound to {@code db} on this thread, or null when {@code db} is not the writer's transaction. */
    static WriterStatements boundTo(DbExecute db) {
        WriterStatements bound = BOUND.get();
        return bound != null && bound.tx == db ? bound : null;
    }

    /**
     * Binds these statements to {@code transaction} on the calling thread: the transaction is begun first (one
     * statement through DbClient), then its connection is taken with {@code unwrap}, which must be ours.
     */
    public void bind(DbTransaction transaction) {
        // Named: an unnamed statement gets a name made from a digest of its text, each time (1.5 % of the writer's
        // samples under single hooks).
        transaction.createNamedDmlStatement("writer-begin", "SAVEPOINT writer").execute();
        Connection unwrapped = transaction.unwrap(Connection.class);
        try {
            if (unwrapped != connection || unwrapped.getAutoCommit()) {
                throw new IllegalStateException("the writer's transaction is not on the writer's connection");
            }
            // Released at once (the transaction stays open): while a savepoint is open, SQLite keeps every
            // statement's journal of the pages it changes until the savepoint ends, instead of dropping it after
            // each statement; kept open, it grew to tens of MB per transaction and spilled to a temp file.
            execute("RELEASE writer");
        } catch (SQLException e) {
            throw WriterConnection.failed("cannot use the writer's connection", e);
        }
        this.tx = transaction;
        BOUND.set(this);
    }

    /** Ends the binding (the transaction is committed or rolled back by its owner). */
    public void unbind() {
        tx = null;
        BOUND.remove();
    }

    /**
     * After a failed transaction whose rollback may itself have failed (SQLite ends a transaction by itself on some
     * errors, and DbClient then skips returning the connection): rolls back whatever is still open and returns the
     * connection to auto-commit, so that the next transaction begins cleanly. Nothing is committed here.
     */
    public void abandon() {
        unbind();
        try (Statement s = connection.createStatement()) {
            s.execute("ROLLBACK");
        } catch (SQLException nothingOpen) {
            // no transaction was open
        }
        try {
            WriterConnection.autoCommit(connection);
        } catch (SQLException e) {
            throw WriterConnection.failed("cannot reset the writer's connection", e);
        }
    }

    /** Runs a statement without parameters given as SQL text (savepoints), prepared once like the named ones. */
    public void execute(String sql) {
        try {
            PreparedStatement statement = prepared.get(sql);
            if (statement == null) {
                statement = connection.prepareStatement(sql);
                prepared.put(sql, statement);
            }
            statement.executeUpdate();
        } catch (SQLException e) {
            throw WriterConnection.failed(sql + " failed", e);
        }
    }

    /** Sets the connection's page cache, in KiB. */
    public void pageCache(int kib) {
        execute("PRAGMA cache_size = -" + kib);
    }

    long dml(String name, List<Object> values) {
        try {
            return bound(name, values).executeUpdate();
        } catch (SQLException e) {
            throw WriterConnection.failed("statement " + name + " failed", e);
        }
    }

    Optional<DbRow> get(String name, List<Object> values) {
        List<DbRow> rows = rows(name, values, 1);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
    }

    /** All rows of a query, read before it returns (the statement is reused by the next call). */
    List<DbRow> query(String name, List<Object> values) {
        return rows(name, values, Integer.MAX_VALUE);
    }

    private List<DbRow> rows(String name, List<Object> values, int max) {
        try (ResultSet r = bound(name, values).executeQuery()) {
            List<DbRow> rows = new ArrayList<>(Math.min(max, 8));
            Reads.Columns columns = this.columns.get(name);
            if (columns == null) { // a prepared statement's columns stay as they are: read their names once
                columns = Reads.Columns.of(r);
                this.columns.put(name, columns);
            }
            while (rows.size() < max && r.next()) {
                rows.add(columns.row(r));
            }
            return rows;
        } catch (SQLException e) {
            throw WriterConnection.failed("query " + name + " failed", e);
        }
    }

    private PreparedStatement bound(String name, List<Object> values) throws SQLException {
        PreparedStatement statement = prepared.get(name);
        if (statement == null) {
            statement = connection.prepareStatement(Statements.all().statement(name));
            prepared.put(name, statement);
        }
        for (int i = 0; i < values.size(); i++) {
            statement.setObject(i + 1, values.get(i));
        }
        return statement;
    }

    @Override
    public void close() {
        for (PreparedStatement statement : prepared.values()) {
            try {
                statement.close();
            } catch (SQLException ignored) {
                // closing the connection frees it anyway
            }
        }
        prepared.clear();
        columns.clear();
    }
}
