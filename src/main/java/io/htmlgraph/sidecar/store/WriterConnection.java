package io.htmlgraph.sidecar.store;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;

import io.helidon.dbclient.DbClientException;
import io.helidon.dbclient.jdbc.CloseableJdbcConnectionPool;

/**
 * The writer's one SQLite connection, as the connection "pool" of the writer's {@link io.helidon.dbclient.DbClient}.
 * <p>
 * Why one connection handed out again and again: Helidon 4.5.0's {@code DbTransaction.unwrap(Connection.class)}
 * asks the pool for a connection rather than returning the transaction's own. With this pool it is the same
 * connection, so the writer can run its hot statements over plain JDBC ({@link WriterStatements}: prepared once,
 * kept for the connection's lifetime) inside the transaction that DbClient began and commits. What Helidon closes
 * is a view of the connection whose {@code close()} only ends a transaction left open (as a pool's return would).
 * Only the writer thread uses it (and, before the writer starts or after it stopped, migrations and checkpoints). It
 * counts its commits, which pace the {@link Checkpointer}.
 */
final class WriterConnection implements CloseableJdbcConnectionPool {
    private final Connection connection;
    private final Connection view;
    private final WriterStatements statements;
    private final AtomicLong commits = new AtomicLong();

    WriterConnection(Connection connection) {
        this.connection = connection;
        this.view = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, new KeepOpen(connection, commits));
        this.statements = new WriterStatements(view);
    }

    @Override
    public Connection connection() {
        return view;
    }

    /** Transactions committed on this connection so far. */
    long commits() {
        return commits.get();
    }

    /** The prepared statements of this connection. */
    WriterStatements statements() {
        return statements;
    }

    @Override
    public String dbType() {
        return "sqlite";
    }

    @Override
    public void close() throws SQLException {
        statements.close();
        connection.close();
    }

    /**
     * Forwards every call but {@code close()}, which only restores auto-commit (as DBCP does on return), and counts
     * commits.
     */
    private record KeepOpen(Connection target, AtomicLong commits) implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if ("commit".equals(method.getName())) {
                commits.incrementAndGet();
            }
            if ("close".equals(method.getName()) && method.getParameterCount() == 0) {
                autoCommit(target);
                return null;
            }
            if ("isClosed".equals(method.getName())) {
                return target.isClosed();
            }
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }

    /**
     * Back to auto-commit, as a pool does on return. The driver sets its flag first, then ends its transaction with
     * COMMIT; after a commit or rollback there is nothing left to end, and when SQLite rolled the transaction back
     * by itself (a full disk) COMMIT finds none: either way the connection is then in auto-commit, which is all we
     * want here.
     */
    static void autoCommit(Connection target) throws SQLException {
        if (!target.getAutoCommit()) {
            try {
                target.setAutoCommit(true);
            } catch (SQLException noTransaction) {
                // see above: nothing was left to commit
            }
        }
    }

    static DbClientException failed(String what, SQLException e) {
        return new DbClientException(what + ": " + e.getMessage(), e);
    }
}
