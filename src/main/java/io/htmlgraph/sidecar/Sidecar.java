package io.htmlgraph.sidecar;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.websocket.WsRouting;
import io.htmlgraph.sidecar.config.SidecarConfig;
import io.htmlgraph.sidecar.demo.DemoData;
import io.htmlgraph.sidecar.ingest.Ingestor;
import io.htmlgraph.sidecar.live.Access;
import io.htmlgraph.sidecar.live.LiveHub;
import io.htmlgraph.sidecar.live.Messages;
import io.htmlgraph.sidecar.metrics.Metrics;
import io.htmlgraph.sidecar.query.EventTraces;
import io.htmlgraph.sidecar.query.GroupedFeed;
import io.htmlgraph.sidecar.query.QueryCache;
import io.htmlgraph.sidecar.query.Reports;
import io.htmlgraph.sidecar.store.ChangeQueries;
import io.htmlgraph.sidecar.store.Database;
import io.htmlgraph.sidecar.store.EventQueries;
import io.htmlgraph.sidecar.store.EventWriter;
import io.htmlgraph.sidecar.store.FeatureQueries;
import io.htmlgraph.sidecar.store.ReportQueries;
import io.htmlgraph.sidecar.store.TreeQueries;
import io.htmlgraph.sidecar.store.WriterLock;
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

    private Sidecar(WriterLock lock, Database database, EventWriter writer, LiveHub hub, Metrics metrics,
                    WebServer server) {
        this.lock = lock;
        this.database = database;
        this.writer = writer;
        this.hub = hub;
        this.metrics = metrics;
        this.server = server;
    }

    /** Opens the store, fills in demo data if asked, and starts serving. */
    public static Sidecar start(SidecarConfig config) {
        Clock clock = Clock.systemUTC();
        Deque<AutoCloseable> opened = new ArrayDeque<>(); // closed again, newest first, if the start fails
        try {
            WriterLock lock = open(opened, WriterLock.acquire(config.db(), "pid " + ProcessHandle.current().pid()
                    + ", ports " + config.port() + "/" + config.adminPort()));
            Database database = open(opened, Database.open(config.db()));
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
            EventQueries queries = new EventQueries(database, clock, config.idleAfter());
            if (config.demo()) {
                DemoData.fill(ingestor, queries, clock);
            }
            metrics.start(); // after the demo data, so that the first figures include it
            Access access = new Access(config.allowedOrigins(), Routes.hosts(config)::allowed, config.wsMaxClients());
            TreeQueries trees = new TreeQueries(database);
            Routes.Readers readers = new Routes.Readers(queries, new Reports(reports, trees, clock),
                    new GroupedFeed(trees, clock), new EventTraces(trees, clock), new FeatureQueries(database), hub,
                    cache);
            WebServer server = WebServer.builder()
                    .host(config.host())
                    .port(config.port())
                    .connectionOptions(socket -> socket.tcpNoDelay(true).readTimeout(config.readTimeout()))
                    .update(listener -> Routes.limits(listener, config))
                    .putSocket(ADMIN, socket -> socket.host(config.adminHost()).port(config.adminPort())
                            .connectionOptions(options -> options.tcpNoDelay(true).readTimeout(config.readTimeout()))
                            .maxTcpConnections(ADMIN_CONNECTIONS).idleConnectionTimeout(config.idleTimeout())
                            .directHandlers(Routes.directHandlers())
                            .routing(routing -> Routes.admin(routing, metrics)))
                    .addFeature(observe(database))
                    .routing(routing -> Routes.main(routing, config, ingestor, readers, new Json(mapper),
                                                    metrics.ingest()))
                    .addRouting(WsRouting.builder().endpoint("/ws/events", () -> hub.newClient(access)))
                    .build()
                    .start();
            if (!server.isRunning()) {
                throw new IllegalStateException("cannot listen on " + config.host() + ":" + config.port() + " and "
                        + config.adminHost() + ":" + config.adminPort() + " (in use? see the log above)");
            }
            return new Sidecar(lock, database, writer, hub, metrics, server);
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

    /** Health on the admin socket: {@code /health}, {@code /health/live}, {@code /health/ready}. */
    private static ObserveFeature observe(Database database) {
        HealthObserver health = HealthObserver.builder()
                .details(true)
                .addCheck(() -> HealthCheckResponse.builder().status(database.isReadable())
                                .detail("file", database.file().toString()).build(),
                          HealthCheckType.READINESS, "sqlite")
                // issue 13: DOWN while the store cannot write (lock held elsewhere, disk full, file deleted)
                .addCheck(() -> HealthCheckResponse.builder().status(database.health().writable())
                                .detail("fault", String.valueOf(database.health().fault())).build(),
                          HealthCheckType.READINESS, "store-writable")
                .build();
        return ObserveFeature.builder().endpoint("/").sockets(List.of(ADMIN)).addObserver(health).build();
    }

    /** The main socket's port (the chosen one when configured as 0). */
    public int port() {
        return server.port();
    }

    /** The admin socket's port. */
    public int adminPort() {
        return server.port(ADMIN);
    }

    /** The metrics registry (tests refresh its snapshot rather than wait for the schedule). */
    public Metrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        hub.close();
        server.stop();
        metrics.close();
        writer.close();
        database.close();
        lock.close();
        LOG.info("htmlgraph-sidecar stopped");
    }
}
