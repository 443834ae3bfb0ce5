package io.htmlgraph.sidecar.store;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;

/** Named parameters for one statement (null values allowed), and the calls that run a named statement with them. */
final class Params {
    private final Map<String, Object> values = new HashMap<>();

    static Params of(String name, Object value) {
        return new Params().with(name, value);
    }

    Params with(String name, Object value) {
        values.put(name, value);
        return this;
    }

    long dml(DbExecute db, String statement) {
        return db.createNamedDmlStatement(statement).params(values).execute();
    }

    Stream<DbRow> query(DbExecute db, String statement) {
        return db.createNamedQuery(statement).params(values).execute();
    }

    Optional<DbRow> get(DbExecute db, String statement) {
        return db.createNamedGet(statement).params(values).execute();
    }
}
