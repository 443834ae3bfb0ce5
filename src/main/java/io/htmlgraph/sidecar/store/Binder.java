package io.htmlgraph.sidecar.store;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;

/**
 * One named statement, bound by position: its parameter names are listed once where it is declared, in the order
 * SQLite numbers them (checked against the statement's text when the binder is made, so a statement and its callers
 * cannot drift apart unnoticed), and each call passes just the values in that order. This is the one way statements
 * are bound: {@link Params} (names and values, for the statements run now and then) orders its values and comes here.
 * <p>
 * Why: the writer's hot statements (an event's insert and finish, the session and summary counters, the correlation
 * lookups) run many times per request; building a map of names per call and looking each name up again to order the
 * values cost more Java time on the writer thread than binding them.
 */
public final class Binder {
    private final String statement;
    private final int count;

    private Binder(String statement, int count) {
        this.statement = statement;
        this.count = count;
    }

    /**
     * The binder of {@code statement} with parameters {@code names}, which must be the statement's distinct
     * {@code :name}s in order of first appearance.
     *
     * @throws IllegalArgumentException when they are not (the message shows the statement's order)
     */
    public static Binder of(String statement, String... names) {
        List<String> order = Statements.parameterOrder(statement);
        if (!order.equals(List.of(names))) {
            throw new IllegalArgumentException("statement " + statement + " takes its parameters in the order "
                                               + order + ", not " + List.of(names));
        }
        return new Binder(statement, names.length);
    }

    public long dml(DbExecute db, Object... values) {
        return dml(db, statement, checked(values));
    }

    public Optional<DbRow> get(DbExecute db, Object... values) {
        return get(db, statement, checked(values));
    }

    /** The rows of a query (close the stream). */
    public Stream<DbRow> query(DbExecute db, Object... values) {
        return query(db, statement, checked(values));
    }

    private List<Object> checked(Object[] values) {
        if (values.length != count) {
            throw new IllegalArgumentException("statement " + statement + " takes " + count + " values, not "
                                               + values.length);
        }
        return Arrays.asList(values);
    }

    /**
     * Runs a statement with its values in parameter order: inside the writer's transaction over its kept JDBC
     * statements ({@link WriterStatements}), elsewhere through DbClient.
     */
    static long dml(DbExecute db, String statement, List<Object> values) {
        WriterStatements writer = WriterStatements.boundTo(db);
        return writer != null ? writer.dml(statement, values)
                : db.createNamedDmlStatement(statement).params(values).execute();
    }

    static Stream<DbRow> query(DbExecute db, String statement, List<Object> values) {
        WriterStatements writer = WriterStatements.boundTo(db);
        return writer != null ? writer.query(statement, values).stream()
                : db.createNamedQuery(statement).params(values).execute();
    }

    static Optional<DbRow> get(DbExecute db, String statement, List<Object> values) {
        WriterStatements writer = WriterStatements.boundTo(db);
        return writer != null ? writer.get(statement, values)
                : db.createNamedGet(statement).params(values).execute();
    }
}
