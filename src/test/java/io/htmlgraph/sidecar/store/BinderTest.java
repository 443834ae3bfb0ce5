package io.htmlgraph.sidecar.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import io.helidon.dbclient.DbTransaction;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link Binder} binds values by position: its declared names must be the statement's own order (else a value
 * would land in another column), a call must give one value per name, and the values reach their columns both
 * through DbClient and inside the writer's transaction (its kept JDBC statements), on a real SQLite file.
 */
class BinderTest {
    private static final String[] MINUTE_NAMES = {"agent_id", "minute", "calls", "successes", "errors", "timed",
        "seconds"};

    @Test
    void of_namesNotInTheStatementsOrder_failsNamingTheOrder() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Binder.of("session-set-turn", "session_id", "event_id"));
        assertThat(e.getMessage(), containsString("[event_id, session_id]"));
        assertThrows(IllegalArgumentException.class, () -> Binder.of("session-set-turn", "event_id"));
    }

    @Test
    void call_withTooFewOrTooManyValues_fails() throws Exception {
        Binder minutes = Binder.of("write-agent-minutes-add", MINUTE_NAMES);
        try (Database database = Database.open(Files.createTempDirectory("binder").resolve("b.db"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> minutes.dml(database.client().execute(), "agent-a", "2026-12-01T10:00", 1));
            assertThat(e.getMessage(), containsString("takes 7 values, not 3"));
        }
    }

    @Test
    void values_reachTheirColumns_throughDbClient_andInTheWritersTransaction() throws Exception {
        Binder minutes = Binder.of("write-agent-minutes-add", MINUTE_NAMES);
        Path file = Files.createTempDirectory("binder").resolve("b.db");
        try (Database database = Database.open(file)) {
            minutes.dml(database.client().execute(), "agent-a", "2026-12-01T10:00", 5, 4, 1, 3, 1.25);
            DbTransaction tx = database.writerClient().transaction();
            database.writerStatements().bind(tx);
            minutes.dml(tx, "agent-a", "2026-12-01T10:00", 2, 1, 1, 1, 0.5);
            minutes.dml(tx, "agent-b", "2026-12-01T10:01", 7, 6, 0, 0, 0.0);
            database.writerStatements().unbind();
            tx.commit();
        }
        assertThat(rows(file), is(List.of("agent-a 2026-12-01T10:00 7 5 2 4 1.75",
                                          "agent-b 2026-12-01T10:01 7 6 0 0 0.0")));
    }

    private static List<String> rows(Path file) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT agent_id, minute, calls, successes, errors, timed, seconds "
                                          + "FROM agent_minutes ORDER BY agent_id")) {
            while (r.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= 7; i++) {
                    values.add(String.valueOf(r.getObject(i)));
                }
                rows.add(String.join(" ", values));
            }
        }
        return rows;
    }
}
