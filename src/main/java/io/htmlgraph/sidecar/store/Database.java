package io.htmlgraph.sidecar.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbClientException;
import io.helidon.dbclient.jdbc.CloseableJdbcConnectionPool;
import io.helidon.dbclient.jdbc.JdbcClientBuilder;
import org.apache.commons.dbcp2.BasicDataSource;
import org.sqlite.SQLiteConfig;

/**
 * The SQLite file behind a Helidon {@link DbClient}: WAL journal, busy timeout, foreign keys, a small pool (that
 * keeps prepared statements) for concurrent readers, and the named statements of {@link Statements}.
 * Opening it migrates the schema.
 */
public final class Database implements AutoCloseable {
    private static final int POOL_SIZE = 4;
    private static final int BUSY_TIMEOUT_MS = 5000;
    private static final int MAX_STATEMENTS = 200;

    private final Path file;
    private final DbClient db;
    private final DbClient writerDb;
    private final BasicDataSource pool;
    private final BasicDataSource writerPool;
    private final StoreHealth health;

    private Database(Path file, BasicDataSource pool, BasicDataSource writerPool) {
        this.file = file;
        this.health = new StoreHealth(file);
        this.pool = pool;
        this.writerPool = writerPool;
        this.db = client(pool);
        this.writerDb = client(writerPool);
    }

    private static DbClient client(BasicDataSource source) {
        return JdbcClientBuilder.create().statements(Statements.all()).connectionPool(new Pool(source)).build();
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
        BasicDataSource pool = pool(file, POOL_SIZE);
        BasicDataSource writerPool = pool(file, 1);
        Database database = new Database(file, pool, writerPool);
        try {
            Migrations.apply(database.writerDb);
            database.health.watch();
            return database;
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /** A pool of connections that each keep their prepared statements for reuse. */
    private static BasicDataSource pool(Path file, int size) {
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // NORMAL with WAL keeps every commit across a process crash (kill -9); only power loss can drop the last ones.
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        sqlite.setBusyTimeout(BUSY_TIMEOUT_MS);
        sqlite.enforceForeignKeys(true);
        sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        BasicDataSource pool = new BasicDataSource();
        pool.setDriverClassName("org.sqlite.JDBC");
        pool.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        sqlite.toProperties().forEach((key, value) -> pool.addConnectionProperty((String) key, (String) value));
        pool.setMaxTotal(size);
        pool.setMaxIdle(size);
        pool.setMaxWait(Duration.ofSeconds(BUSY_TIMEOUT_MS / 1000));
        pool.setPoolPreparedStatements(true);
        // Every transaction ends in commit or rollback before its connection returns: skip DBCP's extra rollback.
        pool.setRollbackOnReturn(false);
        pool.setMaxOpenPreparedStatements(MAX_STATEMENTS);
        return pool;
    }

    /** The client for reads: a small pool, so reads run in parallel. */
    public DbClient client() {
        return db;
    }

    /** The writer's own client on its own connection, so that no read (a long export) can hold up a write. */
    DbClient writerClient() {
        return writerDb;
    }

    /** Whether a pooled connection can read the database right now. */
    public boolean isReadable() {
        try {
            return db.execute().get("SELECT 1 AS ok").isPresent();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Whether the store can write now (readiness), kept by the writer and a file watcher. */
    public StoreHealth health() {
        return health;
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
        health.close();
        try {
            writerPool.close();
            pool.close();
        } catch (SQLException e) {
            throw new StoreException("cannot close the connection pools", e);
        }
    }

    private record Pool(BasicDataSource source) implements CloseableJdbcConnectionPool {
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
        public void close() throws SQLException {
            source.close();
        }
    }
}
