package io.htmlgraph.sidecar.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbClientException;
import io.helidon.dbclient.DbStatements;
import io.helidon.dbclient.jdbc.CloseableJdbcConnectionPool;
import io.helidon.dbclient.jdbc.JdbcClientBuilder;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The SQLite file behind a Helidon {@link DbClient}: WAL journal, busy timeout, foreign keys, a small pool
 * for concurrent readers, and the named statements of {@code db/statements.yaml}. Opening it migrates the schema.
 */
public final class Database implements AutoCloseable {
    private static final int POOL_SIZE = 4;
    private static final int BUSY_TIMEOUT_MS = 5000;

    private final Path file;
    private final DbClient db;
    private final HikariDataSource pool;

    private Database(Path file, HikariDataSource pool, DbClient db) {
        this.file = file;
        this.pool = pool;
        this.db = db;
    }

    /** Opens (creating if needed) the database file and brings its schema up to date. */
    public static Database open(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new StoreException("cannot create the directory for " + file + ": " + e.getMessage(), e);
        }
        HikariDataSource pool = new HikariDataSource(hikari(file));
        try {
            DbClient db = JdbcClientBuilder.create()
                    .statements(DbStatements.create(Config.just(ConfigSources.classpath("db/statements.yaml"))
                                                        .get("statements")))
                    .connectionPool(new Pool(pool))
                    .build();
            Database database = new Database(file, pool, db);
            Migrations.apply(db);
            return database;
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    private static HikariConfig hikari(Path file) {
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // NORMAL with WAL keeps every commit across a process crash (kill -9); only power loss can drop the last ones.
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        sqlite.setBusyTimeout(BUSY_TIMEOUT_MS);
        sqlite.enforceForeignKeys(true);
        sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteDataSource source = new SQLiteDataSource(sqlite);
        source.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        HikariConfig config = new HikariConfig();
        config.setDataSource(source);
        config.setPoolName("sqlite");
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(POOL_SIZE);
        return config;
    }

    /** The database client; the only way the rest of the store reaches SQLite. */
    public DbClient client() {
        return db;
    }

    /** Whether a pooled connection can read the database right now. */
    public boolean isReadable() {
        try {
            return db.execute().get("SELECT 1 AS ok").isPresent();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    /** Size of the database file with its WAL, in bytes. */
    public long sizeBytes() {
        return sizeOf(file) + sizeOf(Path.of(file + "-wal"));
    }

    private static long sizeOf(Path path) {
        try {
            return Files.exists(path) ? Files.size(path) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        pool.close();
    }

    private record Pool(HikariDataSource source) implements CloseableJdbcConnectionPool {
        @Override
        public Connection connection() {
            try {
                return source.getConnection();
            } catch (SQLException e) {
                throw new DbClientException("cannot get a SQLite connection", e);
            }
        }

        @Override
        public String dbType() {
            return "sqlite";
        }

        @Override
        public void close() {
            source.close();
        }
    }
}
