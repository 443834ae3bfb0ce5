package io.htmlgraph.sidecar.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Logger;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbTransaction;
import io.htmlgraph.sidecar.domain.Timestamps;

/**
 * Versioned schema migrations: {@code db/migration/1.sql}, {@code 2.sql}, … applied in order, each in one
 * transaction, and recorded in {@code schema_version}. A database newer than this code is refused.
 */
final class Migrations {
    private static final Logger LOG = Logger.getLogger(Migrations.class.getName());

    private Migrations() {
    }

    static void apply(DbClient db) {
        db.execute().dml("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY,"
                         + " description TEXT NOT NULL, applied_at TEXT NOT NULL)");
        int current = currentVersion(db);
        List<String> scripts = available();
        if (current > scripts.size()) {
            throw new StoreException("database schema version " + current + " is newer than this sidecar supports ("
                                     + scripts.size() + "); upgrade htmlgraph-sidecar or point HTMLGRAPH_DB elsewhere");
        }
        if (current == 0 && hasForeignTables(db)) {
            throw new StoreException("this file holds tables that this sidecar did not create (an htmlgraph database?);"
                                     + " point HTMLGRAPH_DB at a new file (to import an htmlgraph database, set"
                                     + " HTMLGRAPH_IMPORT_DB to it, or run: ./sidecar import PATH)");
        }
        if (current == scripts.size()) {
            return;
        }
        if (current > 0) {
            LOG.info("Upgrading the store's schema from version " + current + " to " + scripts.size()
                     + " (a migration that rebuilds an index takes seconds on a store of a million events)");
        }
        // Sorts on disk while migrating: rebuilding an index sorts all its entries, and the writer's temp store is
        // memory (its statement journals), where the sort of a 1M-event store's index took the RSS to 183 MB.
        int tempStore = db.execute().get("PRAGMA temp_store").map(r -> r.column("temp_store").get(Integer.class))
                .orElse(0);
        db.execute().dml("PRAGMA temp_store = FILE");
        try {
            for (int version = current + 1; version <= scripts.size(); version++) {
                applyOne(db, version, scripts.get(version - 1));
            }
        } finally {
            db.execute().dml("PRAGMA temp_store = " + tempStore);
        }
    }

    private static int currentVersion(DbClient db) {
        return db.execute().get("SELECT coalesce(max(version), 0) AS v FROM schema_version")
                .map(row -> row.column("v").get(Integer.class))
                .orElse(0);
    }

    private static boolean hasForeignTables(DbClient db) {
        return db.execute().get("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'"
                                + " AND name NOT IN ('schema_version') AND name NOT LIKE 'sqlite_%'")
                .map(row -> row.column("n").get(Integer.class) > 0)
                .orElse(false);
    }

    private static void applyOne(DbClient db, int version, String script) {
        String description = script.lines().findFirst().orElse("").replaceFirst("^--\\s*", "");
        long start = System.nanoTime();
        DbTransaction tx = db.transaction();
        try {
            for (String statement : statements(script)) {
                tx.dml(statement);
            }
            tx.dml("INSERT INTO schema_version(version, description, applied_at) VALUES (?, ?, ?)",
                   version, description, Timestamps.format(Instant.now()));
            tx.commit();
        } catch (RuntimeException e) {
            tx.rollback();
            throw new StoreException("migration " + version + " failed: " + e.getMessage(), e);
        }
        LOG.info("Applied schema migration " + version + " in " + (System.nanoTime() - start) / 1_000_000 + " ms: "
                 + description);
    }

    /** Statements end with a semicolon at the end of a line; comment lines are dropped. */
    private static List<String> statements(String script) {
        String withoutComments = String.join("\n", script.lines().filter(l -> !l.strip().startsWith("--")).toList());
        return Arrays.stream(withoutComments.split(";\\s*\n"))
                .map(String::strip)
                .map(s -> s.endsWith(";") ? s.substring(0, s.length() - 1) : s)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    private static List<String> available() {
        List<String> scripts = new ArrayList<>();
        for (int version = 1; ; version++) {
            try (InputStream in = Migrations.class.getClassLoader()
                    .getResourceAsStream("db/migration/" + version + ".sql")) {
                if (in == null) {
                    return scripts;
                }
                scripts.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new StoreException("cannot read migration " + version, e);
            }
        }
    }
}
