package io.htmlgraph.sidecar;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.encoding.ContentEncodingContext;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.websocket.WsRouting;
import io.htmlgraph.sidecar.adopt.ImportFollower;
import io.htmlgraph.sidecar.adopt.Importer;
import io.htmlgraph.sidecar.config.SidecarConfig;
import io.htmlgraph.sidecar.demo.DemoData;
import io.htmlgraph.sidecar.ingest.Ingestor;
import io.htmlgraph.sidecar.ingest.OtlpIngestor;
import io.htmlgraph.sidecar.ingest.Prices;
import io.htmlgraph.sidecar.ingest.TranscriptReader;
import io.htmlgraph.sidecar.ingest.TextCleaner;
import io.htmlgraph.sidecar.live.Access;
import io.htmlgraph.sidecar.live.LiveHub;
import io.htmlgraph.sidecar.live.Messages;
import io.htmlgraph.sidecar.metrics.Metrics;
import io.htmlgraph.sidecar.ops.HealthChecks;
import io.htmlgraph.sidecar.ops.StartupChecks;
import io.htmlgraph.sidecar.ops.StartupException;
import io.htmlgraph.sidecar.ops.UpkeepScheduler;
import io.htmlgraph.sidecar.query.EventTraces;
import io.htmlgraph.sidecar.query.GroupedFeed;
import io.htmlgraph.sidecar.query.QueryCache;
import io.htmlgraph.sidecar.query.Reports;
import io.htmlgraph.sidecar.store.Backups;
import io.htmlgraph.sidecar.store.ChangeQueries;
import io.htmlgraph.sidecar.store.DailyQueries;
import io.htmlgraph.sidecar.store.Database;
import io.htmlgraph.sidecar.store.EventQueries;
import io.htmlgraph.sidecar.store.EventWriter;
import io.htmlgraph.sidecar.store.FeatureQueries;
import io.htmlgraph.sidecar.store.ImportCursors;
import io.htmlgraph.sidecar.store.MetricsQueries;
import io.htmlgraph.sidecar.store.ReadPool;
import io.htmlgraph.sidecar.store.ReportQueries;
import io.htmlgraph.sidecar.store.TranscriptOffsets;
import io.htmlgraph.sidecar.store.TreeQueries;
import io.htmlgraph.sidecar.store.Upkeep;
import io.htmlgraph.sidecar.store.UsageQueries;
import io.htmlgraph.sidecar.store.ViewQueries;
import io.htmlgraph.sidecar.store.WriterLock;
import io.htmlgraph.sidecar.view.Dashboard;
import io.htmlgraph.sidecar.web.BackupService;
import io.htmlgraph.sidecar.web.ConnectionGuard;
import io.htmlgraph.sidecar.web.GzipDecoding;
import io.htmlgraph.sidecar.web.Json;
import io.htmlgraph.sidecar.web.Routes;

/**
 * The running sidecar: the store, its writer, the live hub, and a web server with two sockets — the main one
 * (ingest, API, WebSocket) and the admin one (health, metrics). {@link Main} and the tests start it the same way.
 */
public final class Sidecar implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Sidecar.class.getName());
    private static final String ADMIN = "admin";
    /** Probes and scrapers need a few connections; a flood on the main socket never reaches these. */
    private static final int ADMIN_CONNECTIONS = 64;

    private final WriterLock lock;
    private final Database database;
    private final EventWriter writer;
    private final LiveHub hub;
    private final Metrics metrics;
    private final WebServer server;
    private final UpkeepScheduler upkeep;
    private final ReadPool pool;
    private final List<AutoCloseable> extras;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Sidecar(WriterLock lock, Database database, EventWriter writer, LiveHub hub, Metrics metrics,
                    WebServer server, UpkeepScheduler upkeep, ReadPool pool, List<AutoCloseable> extras) {
        this.lock = lock;
        this.upkeep = upkeep;
        this.pool = pool;
        this.extras = extras;
        this.database = database;
        this.writer = writer;
        this.hub = hub;
        this.metrics = metrics;
        this.server = server;
    }

    /** Opens the store, fills in demo data if asked, and starts serving. */
    public static Sidecar start(SidecarConfig config) {
        Clock clock = Clock.systemUTC();
        StartupChecks.portFree(config.host(), config.port(), "HTMLGRAPH_PORT");
        StartupChecks.portFree(config.adminHost(), config.adminPort(), "HTMLGRAPH_ADMIN_PORT");
        StartupChecks.databaseUsable(config.db());
        Deque<AutoCloseable> opened = new ArrayDeque<>(); // closed again, newest first, if the start fails
        List<AutoCloseable> extras = new ArrayList<>(); // closed first on stop
        try {
            WriterLock lock = open(opened, WriterLock.acquire(config.db(), "pid " + ProcessHandle.current().pid()
                    + ", ports " + config.port() + "/" + config.adminPort()));
            Database database = open(opened, Database.open(config.db()));
            if (config.retention().isPresent() && !database.incrementalVacuum()) {
                LOG.info("retention is on: turning on incremental vacuum for " + config.db()
                         + " (one full VACUUM, once; it needs as much free disk as the file takes)");
                database.convertToIncrementalVacuum();
            }
            EventWriter writer = open(opened, new EventWriter(database, clock));
            ObjectMapper mapper = Json.mapper();
            QueryCache cache = new QueryCache(clock, config.queryCacheEntries());
            writer.onCommit(committed -> cache.invalidate());
            LiveHub hub = open(opened, new LiveHub(new ChangeQueries(database), new Messages(mapper),
                                                   config.wsBacklog(), config.wsQueue()));
            writer.onCommit(hub::committed);
            ReportQueries reports = new ReportQueries(database, clock, config.idleAfter());
            Metrics metrics = open(opened, new Metrics(config, database, reports, hub, cache, clock));
            Ingestor ingestor = new Ingestor(mapper, config.payloadMaxBytes(), config.metadataOnly(), writer, clock);
            Prices prices = Prices.load(config.pricesFile());
            OtlpIngestor otlp = new OtlpIngestor(mapper, prices, writer, clock);
            if (!config.transcriptRoots().isEmpty()) {
                TranscriptReader transcripts = open(opened, new TranscriptReader(config.transcriptRoots(), mapper,
                        prices, new TranscriptOffsets(database), writer, clock, config.transcriptPoll()));
                ingestor.onHooks(transcripts::observe);
                extras.add(transcripts);
            }
            EventQueries queries = new EventQueries(database, clock, config.idleAfter());
            if (config.demo()) {
                DemoData.fill(ingestor, queries, clock);
            }
            metrics.start(); // after the demo data, so that the first figures include it
            config.importDb().ifPresent(file -> extras.add(open(opened, ImportFollower.start(
                    new Importer(writer, new ImportCursors(database), new TextCleaner(config.payloadMaxBytes(),
                                 config.metadataOnly()), mapper, clock), file, config.importFollow()))));
            Access access = new Access(config.allowedOrigins(), Routes.hosts(config)::allowed, config.wsMaxClients());
            TreeQueries trees = new TreeQueries(database);
            Reports reportsView = new Reports(reports, trees, clock);
            GroupedFeed feed = new GroupedFeed(trees, clock);
            EventTraces traces = new EventTraces(trees, clock);
            FeatureQueries features = new FeatureQueries(database);
            Dashboard dashboard = new Dashboard(new Dashboard.Sources(queries, reportsView, feed, traces, trees,
                    features, new MetricsQueries(database), new ViewQueries(database)), clock, config.idleAfter());
            ReadPool pool = open(opened, new ReadPool(config.readThreads(), config.readQueue()));
            Routes.Readers readers = new Routes.Readers(queries, reportsView, feed, traces, features, hub, cache,
                    dashboard, new DailyQueries(database, clock), pool);
            UpkeepScheduler upkeep = open(opened, new UpkeepScheduler(new Upkeep(database, writer, clock),
                    config.idleAfter(), config.retention(), database.incrementalVacuum()));
            Json json = new Json(mapper);
            ConnectionGuard guard = open(opened, new ConnectionGuard(config.maxConnections(), config.headerTimeout()));
            extras.add(guard);
            BackupService backup = new BackupService(new Backups(database), config.backupDir(), json, clock);
            WebServer server = WebServer.builder()
                    .host(config.host())
                    .port(config.port())
                    .shutdownHook(false) // Main's hook stops everything in order (see close)
                    .shutdownGracePeriod(config.shutdownGrace())
                    .connectionOptions(socket -> socket.tcpNoDelay(true).readTimeout(config.readTimeout()))
                    .update(listener -> Routes.limits(listener, config, guard))
                    .contentEncoding(ContentEncodingContext.builder().contentEncodingsDiscoverServices(false)
                            .addContentEncoding(new GzipDecoding()).build())
                    .putSocket(ADMIN, socket -> socket.host(config.adminHost()).port(config.adminPort())
                            .shutdownGracePeriod(config.shutdownGrace())
                            .connectionOptions(options -> options.tcpNoDelay(true).readTimeout(config.readTimeout()))
                            .maxTcpConnections(ADMIN_CONNECTIONS).idleConnectionTimeout(config.idleTimeout())
                            .directHandlers(Routes.directHandlers())
                            .routing(routing -> Routes.admin(routing, metrics, backup, json)))
                    .addFeature(ObserveFeature.builder().endpoint("/").sockets(List.of(ADMIN))
                            .addObserver(HealthChecks.observer(database, writer, hub, config.minFreeDiskBytes()))
                            .build())
                    .routing(routing -> {
                        metrics.instrument(routing);
                        Routes.main(routing, config, ingestor, readers, json, metrics.ingest(), otlp,
                                    new UsageQueries(database));
                    })
                    .addRouting(WsRouting.builder().endpoint("/ws/events", () -> hub.newClient(access)))
                    .build()
                    .start();
            if (!server.isRunning()) {
                throw new StartupException("cannot listen on " + config.host() + ":" + config.port() + " and "
                        + config.adminHost() + ":" + config.adminPort() + " (in use?): set HTMLGRAPH_PORT and"
                        + " HTMLGRAPH_ADMIN_PORT to free ports");
            }
            upkeep.start();
            return new Sidecar(lock, database, writer, hub, metrics, server, upkeep, pool, extras);
        } catch (RuntimeException e) {
            opened.forEach(Sidecar::closeQuietly);
            throw e;
        }
    }

    private static <T extends AutoCloseable> T open(Deque<AutoCloseable> opened, T resource) {
        opened.push(resource);
        return resource;
    }

    private static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "could not close " + resource + " after a failed start", e);
        }
    }

    /** The main socket's port (the chosen one when configured as 0). */
    public int port() {
        return server.port();
    }

    /** The admin socket's port. */
    public int adminPort() {
        return server.port(ADMIN);
    }

    /** The background upkeep (tests run a round rather than wait for the schedule). */
    public UpkeepScheduler upkeep() {
        return upkeep;
    }

    /** The metrics registry (tests refresh its snapshot rather than wait for the schedule). */
    public Metrics metrics() {
        return metrics;
    }

    /** The platform threads and queue of uncached reads (tests fill it to see reads refused). */
    public ReadPool readPool() {
        return pool;
    }

    /**
     * Stops in order: WebSocket clients get a close frame (1001, going away); the server stops accepting and lets
     * requests in flight finish (up to {@code HTMLGRAPH_SHUTDOWN_GRACE}); the writer commits what it was handed; the
     * WAL is checkpointed into the database file. Safe to call twice.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        extras.forEach(Sidecar::closeQuietly);
        upkeep.close();
        hub.close();
        server.stop();
        metrics.close();
        pool.close();
        writer.close();
        try {
            database.checkpoint();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "WAL checkpoint at shutdown failed; the WAL is replayed at the next start", e);
        }
        database.close();
        lock.close();
        LOG.info("htmlgraph-sidecar stopped");
    }
}
