package io.htmlgraph.sidecar.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;

/**
 * Named parameters for one statement (null values allowed), put in the statement's order and bound by position as
 * {@link Binder} does; for the statements that run now and then (reads, maintenance, features), where naming each
 * value at the call reads better than a {@link Binder} declared for it.
 */
public final class Params {
    private final Map<String, Object> values = new HashMap<>();

    public static Params of(String name, Object value) {
        return new Params().with(name, value);
    }

    public Params with(String name, Object value) {
        values.put(name, value);
        return this;
    }

    public long dml(DbExecute db, String statement) {
        return Binder.dml(db, statement, ordered(statement));
    }

    public Stream<DbRow> query(DbExecute db, String statement) {
        return Binder.query(db, statement, ordered(statement));
    }

    public Optional<DbRow> get(DbExecute db, String statement) {
        return Binder.get(db, statement, ordered(statement));
    }

    /** A read statement on the read pool's plain JDBC path ({@link Reads}). */
    public Stream<DbRow> query(Reads db, String statement) {
        return db.query(statement, ordered(statement));
    }

    public Optional<DbRow> get(Reads db, String statement) {
        return db.get(statement, ordered(statement));
    }

    /** Rows read by position ({@link Reads#list}). */
    public <T> List<T> list(Reads db, String statement, Reads.RowReader<T> reader) {
        return db.list(statement, ordered(statement), reader);
    }

    /** Rows read by position, handed over one at a time until the sink answers false ({@link Reads#each}). */
    public <T> void each(Reads db, String statement, Reads.RowReader<T> reader, Predicate<? super T> sink) {
        db.each(statement, ordered(statement), reader, sink);
    }

    /** The values in the statement's parameter order (see {@link Statements}); a missing one is an error. */
    private List<Object> ordered(String statement) {
        List<String> names = Statements.parameterOrder(statement);
        List<Object> ordered = new ArrayList<>(names.size());
        for (String name : names) {
            if (!values.containsKey(name)) {
                throw new IllegalArgumentException("statement " + statement + " needs parameter :" + name);
            }
            ordered.add(values.get(name));
        }
        return ordered;
    }
}
