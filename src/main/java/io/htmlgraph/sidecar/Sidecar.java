package io.htmlgraph.sidecar;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.helidon.http.encoding.ContentEncodingContext;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.websocket.WsRouting;
import io.htmlgraph.sidecar.config.SidecarConfig;
import io.htmlgraph.sidecar.correlate.EventWriter;
import io.htmlgraph.sidecar.live.Access;
import io.htmlgraph.sidecar.live.LiveHub;
import io.htmlgraph.sidecar.metrics.Metrics;
import io.htmlgraph.sidecar.query.QueryCache;
import io.htmlgraph.sidecar.ops.HealthChecks;
import io.htmlgraph.sidecar.ops.StartupChecks;
import io.htmlgraph.sidecar.ops.StartupException;
import io.htmlgraph.sidecar.ops.UpkeepScheduler;
import io.htmlgraph.sidecar.store.Backups;
import io.htmlgraph.sidecar.store.Database;
import io.htmlgraph.sidecar.store.ReadPool;
import io.htmlgraph.sidecar.store.WriterLock;
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
    private final QueryCache cache;
    private final WebServer server;
    private final UpkeepScheduler upkeep;
    private final ReadPool pool;
    private final List<AutoCloseable> extras;
    private final Consumer<HttpRouting.Builder> mainRouting;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Sidecar(Wiring.Store store, Wiring.Commits commits, WebServer server, UpkeepScheduler upkeep,
                    ReadPool pool, List<AutoCloseable> extras, Consumer<HttpRouting.Builder> mainRouting) {
        this.lock = store.lock();
        this.database = store.database();
        this.writer = store.writer();
        this.hub = commits.hub();
        this.metrics = commits.metrics();
        this.cache = commits.cache();
        this.server = server;
        this.upkeep = upkeep;
        this.pool = pool;
        this.extras = extras;
        this.mainRouting = mainRouting;
    }

    /** Opens the store, fills in demo data if asked, and starts serving. */
    public static Sidecar start(SidecarConfig config) {
        return start(config, WebServer.builder(), true);
    }

    /**
     * Opens the store and puts both sockets, their routing and features on {@code server} without starting it: a
     * Helidon {@code @ServerTest} calls this from its {@code @SetUpServer} method and then starts the server itself,
     * so tests run the production wiring. {@link #close()} then closes everything but that server.
     */
    public static Sidecar wire(SidecarConfig config, WebServerConfig.Builder server) {
        return start(config, server, false);
    }

    private static Sidecar start(SidecarConfig config, WebServerConfig.Builder builder, boolean listen) {
        StartupChecks.portFree(config.host(), config.port(), "HTMLGRAPH_PORT");
        StartupChecks.portFree(config.adminHost(), config.adminPort(), "HTMLGRAPH_ADMIN_PORT");
        StartupChecks.databaseUsable(config.db());
        Wiring wiring = new Wiring(config, Clock.systemUTC());
        try {
            Wiring.Store store = wiring.store();
            Wiring.Commits commits = wiring.commits(store);
            Wiring.Ingest ingest = wiring.ingest(store, commits);
            Routes.Readers readers = wiring.readers(store, commits);
            UpkeepScheduler upkeep = wiring.upkeep(store);
            ConnectionGuard guard = wiring.guard();
            Consumer<HttpRouting.Builder> mainRouting = routing -> wiring.mainRouting(routing, store, commits, ingest,
                                                                                      readers, guard);
            sockets(builder, wiring, store, commits, guard, mainRouting);
            WebServer server = listen ? listen(builder, config) : null;
            upkeep.start();
            wiring.heapReturn();
            return new Sidecar(store, commits, server, upkeep, readers.pool(), wiring.extras(), mainRouting);
        } catch (RuntimeException e) {
            wiring.closeOpened();
            throw e;
        }
    }

    /**
     * Both sockets on one server: the main one (ingest, API, dashboard, WebSocket) and the admin one (health,
     * metrics, backup), which a flood on the main socket never reaches.
     */
    private static void sockets(WebServerConfig.Builder builder, Wiring wiring, Wiring.Store store,
                                Wiring.Commits commits, ConnectionGuard guard,
                                Consumer<HttpRouting.Builder> mainRouting) {
        SidecarConfig config = wiring.config();
        Json json = new Json(wiring.mapper());
        BackupService backup = new BackupService(new Backups(store.database()), config.backupDir(), json,
                                                 wiring.clock());
        Access access = new Access(config.allowedOrigins(), Routes.hosts(config)::allowed, config.wsMaxClients());
        commits.metrics().bind(guard);
        builder.host(config.host())
                .port(config.port())
                .shutdownHook(false) // Main's hook stops everything in order (see close)
                .shutdownGracePeriod(config.shutdownGrace())
                .connectionOptions(socket -> socket.tcpNoDelay(true))
                .update(listener -> Routes.limits(listener, config, guard))
                .contentEncoding(ContentEncodingContext.builder().contentEncodingsDiscoverServices(false)
                        .addContentEncoding(new GzipDecoding()).build())
                .putSocket(ADMIN, socket -> socket.host(config.adminHost()).port(config.adminPort())
                        .shutdownGracePeriod(config.shutdownGrace())
                        .connectionOptions(options -> options.tcpNoDelay(true))
                        .maxTcpConnections(ADMIN_CONNECTIONS)
                        .update(admin -> Routes.socketBasics(admin, config))
                        .routing(routing -> Routes.admin(routing, commits.metrics(), backup, json)))
                .addFeature(ObserveFeature.builder().endpoint("/").sockets(List.of(ADMIN))
                        .addObserver(HealthChecks.observer(store.database(), store.writer(), commits.hub(),
                                                           config.minFreeDiskBytes(), wiring.workers()))
                        .build())
                .routing(mainRouting)
                .addRouting(WsRouting.builder().endpoint("/ws/events", () -> commits.hub().newClient(access)));
    }

    private static WebServer listen(WebServerConfig.Builder builder, SidecarConfig config) {
        WebServer server = builder.build().start();
        if (!server.isRunning()) {
            throw new StartupException("cannot listen on " + config.host() + ":" + config.port() + " and "
                    + config.adminHost() + ":" + config.adminPort() + " (in use?): set HTMLGRAPH_PORT and"
                    + " HTMLGRAPH_ADMIN_PORT to free ports");
        }
        return server;
    }

    /**
     * The main socket's routes, to put on another routing builder: a Helidon {@code @RoutingTest} serves them without
     * a socket.
     */
    public Consumer<HttpRouting.Builder> mainRouting() {
        return mainRouting;
    }

    /** The main socket's port (the chosen one when configured as 0; only once {@link #start started}). */
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

    /** The read answers' cache (tests compare a cached answer with a fresh one). */
    public QueryCache queryCache() {
        return cache;
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
        extras.forEach(Wiring::closeQuietly);
        upkeep.close();
        hub.close();
        if (server != null) {
            server.stop();
        }
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
