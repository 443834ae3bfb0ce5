package io.htmlgraph.sidecar.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbClientException;
import io.helidon.dbclient.jdbc.CloseableJdbcConnectionPool;
import io.helidon.dbclient.jdbc.JdbcClientBuilder;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteOpenMode;

/**
 * The SQLite file behind a Helidon {@link DbClient}: WAL journal, busy timeout, foreign keys, a connection of its
 * own for each read pool thread and a small pool (that keeps prepared statements) for other readers ({@link Reads}),
 * one connection for the writer, and the named statements of {@link Statements}.
 * Opening it migrates the schema.
 */
public final class Database implements AutoCloseable {
    private static final int POOL_SIZE = 4;
    private static final int BUSY_TIMEOUT_MS = 5000;
    /**
     * SQLite's page cache per read connection, in KiB (its default is 2,000): the file's pages stay in the OS page
     * cache anyway, and four full caches were 6 MB of the process's RSS for no measured gain (docs/performance.md).
     */
    private static final int READ_CACHE_KIB = 512;

    private final Path file;
    private final DbClient db;
    private final DbClient writerDb;
    private final Reads reads;
    private final HikariDataSource pool;
    private final WriterConnection writerConnection;
    private final StoreHealth health;
    private Checkpointer checkpointer;

    private Database(Path file, HikariDataSource pool, WriterConnection writerConnection) {
        this.file = file;
        this.health = new StoreHealth(file);
        this.pool = pool;
        this.writerConnection = writerConnection;
        this.db = client(new Pool(pool));
        this.writerDb = client(writerConnection);
        this.reads = new Reads(pool, () -> readConfig().createConnection(url(file)));
    }

    private static DbClient client(CloseableJdbcConnectionPool pool) {
        return JdbcClientBuilder.create().statements(Statements.all()).connectionPool(pool).build();
    }

    /** Opens (creating if needed) the database file and brings its schema up to date. */
    public static Database open(Path file) {
        NativeLibrary.useKeptCopy();
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new StoreException("cannot create the directory for " + file + ": " + e.getMessage(), e);
        }
        if (!Files.exists(file)) {
            create(file);
        }
        HikariDataSource pool = pool(file, POOL_SIZE);
        WriterConnection writer;
        try {
            writer = new WriterConnection(writerConfig().createConnection(url(file)));
        } catch (SQLException e) {
            throw new StoreException("cannot open " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        Database database = new Database(file, pool, writer);
        try {
            Migrations.apply(database.writerDb);
            database.health.watch();
            database.checkpointer = new Checkpointer(rawConnection(file), writer::commits);
            return database;
        } catch (SQLException e) {
            database.close();
            throw new StoreException("cannot open " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /**
     * A small pool of read connections for the threads that have none of their own ({@link Reads}): the live stream's
     * and the metrics collector's reads, the DbClient's (backups, import cursors, transcript offsets), a request's
     * page shell. Opened on demand and kept: a connection to a local file does not go stale, so none is retired.
     * HikariCP rather than commons-dbcp2, whose pooled statements these few reads do not need: DBCP creates the JVM's
     * MBean server whether JMX is used or not (1-3 MB of RSS and 0.1-0.5 s of start, docs/performance.md). Hikari
     * checks a connection idle for over half a second on loan ({@code isValid}, a "select 1"): these loans are rare.
     */
    private static HikariDataSource pool(Path file, int size) {
        SQLiteDataSource connections = new SQLiteDataSource(readConfig());
        connections.setUrl(url(file));
        HikariConfig config = new HikariConfig();
        config.setPoolName("sqlite-read");
        config.setDataSource(connections);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(0);
        config.setIdleTimeout(0);
        config.setMaxLifetime(0);
        config.setConnectionTimeout(BUSY_TIMEOUT_MS);
        config.setInitializationFailTimeout(-1); // the store's own open reports an unreadable file
        return new HikariDataSource(config);
    }

    private static String url(Path file) {
        return "jdbc:sqlite:" + file.toAbsolutePath();
    }

    /**
     * A read connection's settings: a small page cache, no lock of SQLite's own, and no new file where the store's
     * was deleted underneath.
     */
    private static SQLiteConfig readConfig() {
        SQLiteConfig sqlite = sqliteConfig();
        sqlite.resetOpenMode(SQLiteOpenMode.CREATE);
        sqlite.setCacheSize(-READ_CACHE_KIB);
        // A read connection serves one thread at a time: SQLite's own lock around every call (two per column read
        // through JNI, about 2 % of a tree page's CPU) guards nothing here.
        sqlite.setOpenMode(SQLiteOpenMode.NOMUTEX);
        return sqlite;
    }

    /**
     * WAL, busy timeout, foreign keys, immediate transactions and no generated keys: every connection, the writer's
     * included.
     */
    private static SQLiteConfig sqliteConfig() {
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // NORMAL with WAL keeps every commit across a process crash (kill -9); only power loss can drop the last ones.
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        sqlite.setBusyTimeout(BUSY_TIMEOUT_MS);
        sqlite.enforceForeignKeys(true);
        sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        // Nothing reads generated keys; left on, the driver prepares and runs "SELECT last_insert_rowid()" after
        // every INSERT statement (a second statement per stored row on the writer).
        sqlite.setGetGeneratedKeys(false);
        return sqlite;
    }

    /**
     * The writer's connection checkpoints only every {@link Checkpointer#WRITER_PAGES} WAL pages (the
     * {@link Checkpointer} copies them without holding up commits), and keeps its statement journals in memory: with
     * no savepoint open (the writer opens none), each holds the few pages its statement changes and is dropped when
     * the statement ends; on disk, once one passed 64 KiB in a transaction, every later one went to a temp file
     * (docs/performance.md: the write path).
     */
    private static SQLiteConfig writerConfig() {
        SQLiteConfig sqlite = sqliteConfig();
        sqlite.setTempStore(SQLiteConfig.TempStore.MEMORY);
        sqlite.setWalAutocheckpoint(Checkpointer.WRITER_PAGES);
        return sqlite;
    }

    /**
     * A new file gets {@code auto_vacuum = INCREMENTAL} before anything else is written (after that, switching to
     * WAL included, only a full VACUUM can turn it on), so that pages freed by retention can be returned to the
     * file system in small steps.
     */
    private static void create(Path file) {
        try (Connection c = rawConnection(file); Statement s = c.createStatement()) {
            s.execute("PRAGMA auto_vacuum = INCREMENTAL");
            s.execute("PRAGMA journal_mode = WAL");
        } catch (SQLException e) {
            throw new StoreException("cannot create the database " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    /** A connection of its own, outside the pools (whose cached statements would keep VACUUM from running). */
    private static Connection rawConnection(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        return config.createConnection(url(file));
    }

    /** Whether freed pages can be returned with {@code PRAGMA incremental_vacuum}. */
    public boolean incrementalVacuum() {
        return pragma("auto_vacuum") == 2;
    }

    /**
     * Turns incremental vacuum on for a file made without it: a full VACUUM (rewrites the file; needs as much free
     * space again). Call before the writer starts.
     */
    public void convertToIncrementalVacuum() {
        try (Connection c = rawConnection(file); Statement s = c.createStatement()) {
            s.execute("PRAGMA auto_vacuum = INCREMENTAL");
            s.execute("VACUUM");
        } catch (SQLException e) {
            throw new StoreException("cannot turn on incremental vacuum for " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Copies the WAL's pages into the database file and truncates the WAL (at shutdown: one file to copy or
     * move). Call after the writer stopped.
     */
    public void checkpoint() {
        try (Connection c = writerConnection.connection(); Statement s = c.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        } catch (SQLException e) {
            throw new StoreException("WAL checkpoint failed: " + e.getMessage(), e);
        }
    }

    /** Returns up to {@code pages} free pages to the file system; returns the free pages left. */
    public long incrementalVacuum(int pages) {
        try (Connection c = rawConnection(file); Statement s = c.createStatement()) {
            // the pragma frees one page per row it steps through (and has no rows when nothing is free)
            if (s.execute("PRAGMA incremental_vacuum(" + pages + ")")) {
                try (ResultSet freed = s.getResultSet()) {
                    while (freed.next()) {
                        continue;
                    }
                }
            }
            try (ResultSet left = s.executeQuery("PRAGMA freelist_count")) {
                return left.next() ? left.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw new StoreException("incremental vacuum failed: " + e.getMessage(), e);
        }
    }

    private long pragma(String name) {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("PRAGMA " + name)) {
            return r.next() ? r.getLong(1) : -1;
        } catch (SQLException e) {
            throw new StoreException("PRAGMA " + name + " failed: " + e.getMessage(), e);
        }
    }

    /** The client for reads: a small pool, so reads run in parallel. */
    public DbClient client() {
        return db;
    }

    /** The read routes' statements on the same pool, without Helidon's per-row metadata reads ({@link Reads}). */
    public Reads reads() {
        return reads;
    }

    /** The writer's own client on its own connection, so that no read (a long export) can hold up a write. */
    public DbClient writerClient() {
        return writerDb;
    }

    /** The writer's statements over JDBC on the writer client's one connection ({@link WriterConnection}). */
    public WriterStatements writerStatements() {
        return writerConnection.statements();
    }

    /** Whether a pooled connection can read the database right now. */
    public boolean isReadable() {
        try {
            return db.execute().get("SELECT 1 AS ok").isPresent();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Whether the WAL checkpointer runs (true for a database opened without one). */
    public boolean checkpointerRunning() {
        return checkpointer == null || checkpointer.isRunning();
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
        if (checkpointer != null) {
            checkpointer.close();
        }
        reads.close();
        try {
            writerConnection.close();
            pool.close();
        } catch (SQLException e) {
            throw new StoreException("cannot close the connection pools", e);
        }
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
        public void close() throws SQLException {
            source.close();
        }
    }
}
