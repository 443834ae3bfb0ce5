package io.htmlgraph.sidecar.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;

/**
 * Named parameters for one statement (null values allowed), and the calls that run a named statement with them:
 * inside the writer's transaction over its kept JDBC statements ({@link WriterStatements}), elsewhere through DbClient.
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
        WriterStatements writer = WriterStatements.boundTo(db);
        return writer != null ? writer.dml(statement, ordered(statement))
                : db.createNamedDmlStatement(statement).params(ordered(statement)).execute();
    }

    public Stream<DbRow> query(DbExecute db, String statement) {
        WriterStatements writer = WriterStatements.boundTo(db);
        return writer != null ? writer.query(statement, ordered(statement)).stream()
                : db.createNamedQuery(statement).params(ordered(statement)).execute();
    }

    public Optional<DbRow> get(DbExecute db, String statement) {
        WriterStatements writer = WriterStatements.boundTo(db);
        return writer != null ? writer.get(statement, ordered(statement))
                : db.createNamedGet(statement).params(ordered(statement)).execute();
    }

    /** A read statement on the read pool's plain JDBC path ({@link Reads}). */
    public Stream<DbRow> query(Reads db, String statement) {
        return db.query(statement, ordered(statement));
    }

    public Optional<DbRow> get(Reads db, String statement) {
        return db.get(statement, ordered(statement));
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
