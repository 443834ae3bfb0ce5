package io.htmlgraph.sidecar.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MigrationsTest {
    @Test
    void newFile_getsTheSchema_recordedInSchemaVersion_inWalMode() throws Exception {
        Path db = Files.createTempDirectory("mig").resolve("sub/dir/new.db");
        Database.open(db).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            ResultSet version = s.executeQuery("SELECT max(version), count(*) FROM schema_version");
            assertThat(version.getInt(1), is(3));
            assertThat(version.getInt(2), is(3));
            assertThat(s.executeQuery("PRAGMA journal_mode").getString(1), is("wal"));
            assertThat(s.executeQuery("SELECT count(*) FROM sqlite_master WHERE name = 'agent_events'").getInt(1),
                       is(1));
        }
        Database.open(db).close(); // reopening applies nothing twice
    }

    @Test
    void schemaNewerThanTheCode_refusesToStart() throws Exception {
        Path db = Files.createTempDirectory("mig").resolve("future.db");
        Database.open(db).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("INSERT INTO schema_version VALUES (99, 'from the future', '2030-01-01T00:00:00.000Z')");
        }
        StoreException e = assertThrows(StoreException.class, () -> Database.open(db));
        assertThat(e.getMessage(), containsString("schema version 99 is newer than this sidecar supports (3)"));
    }

    @Test
    void someoneElsesDatabase_isRefused() throws Exception {
        Path db = Files.createTempDirectory("mig").resolve("htmlgraph.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE agent_events (event_id TEXT PRIMARY KEY)");
        }
        StoreException e = assertThrows(StoreException.class, () -> Database.open(db));
        assertThat(e.getMessage(), containsString("tables that this sidecar did not create"));
    }
}
