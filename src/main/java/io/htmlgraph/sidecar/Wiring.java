package io.htmlgraph.sidecar;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.webserver.http.HttpRouting;
import io.htmlgraph.sidecar.adopt.ImportFollower;
import io.htmlgraph.sidecar.adopt.Importer;
import io.htmlgraph.sidecar.config.SidecarConfig;
import io.htmlgraph.sidecar.correlate.EventWriter;
import io.htmlgraph.sidecar.correlate.Upkeep;
import io.htmlgraph.sidecar.demo.DemoData;
import io.htmlgraph.sidecar.ingest.Ingestor;
import io.htmlgraph.sidecar.ingest.OtlpIngestor;
import io.htmlgraph.sidecar.ingest.Prices;
import io.htmlgraph.sidecar.ingest.TextCleaner;
import io.htmlgraph.sidecar.ingest.TranscriptReader;
import io.htmlgraph.sidecar.live.LiveHub;
import io.htmlgraph.sidecar.live.Messages;
import io.htmlgraph.sidecar.metrics.Metrics;
import io.htmlgraph.sidecar.ops.HeapReturn;
import io.htmlgraph.sidecar.ops.UpkeepScheduler;
import io.htmlgraph.sidecar.query.EventTraces;
import io.htmlgraph.sidecar.query.GroupedFeed;
import io.htmlgraph.sidecar.query.QueryCache;
import io.htmlgraph.sidecar.query.Reports;
import io.htmlgraph.sidecar.query.ChangeQueries;
import io.htmlgraph.sidecar.query.DailyQueries;
import io.htmlgraph.sidecar.store.Database;
import io.htmlgraph.sidecar.query.EventQueries;
import io.htmlgraph.sidecar.query.FeatureQueries;
import io.htmlgraph.sidecar.store.ImportCursors;
import io.htmlgraph.sidecar.query.MetricsQueries;
import io.htmlgraph.sidecar.store.ReadPool;
import io.htmlgraph.sidecar.query.ReportQueries;
import io.htmlgraph.sidecar.store.TranscriptOffsets;
import io.htmlgraph.sidecar.query.TreeQueries;
import io.htmlgraph.sidecar.query.UsageQueries;
import io.htmlgraph.sidecar.query.ViewQueries;
import io.htmlgraph.sidecar.store.WriterLock;
import io.htmlgraph.sidecar.view.Dashboard;
import io.htmlgraph.sidecar.web.ConnectionGuard;
import io.htmlgraph.sidecar.web.Json;
import io.htmlgraph.sidecar.web.Routes;

/**
 * Builds a sidecar's object graph from its config, one step a method, in the order the data flows: the store and
 * its writer; what every commit feeds (query cache, live hub, metrics); ingest; reads. What it opens is closed again,
 * newest first, if a later step fails ({@link #closeOpened}).
 */
final class Wiring {
    private static final Logger LOG = Logger.getLogger(Wiring.class.getName());

    private final SidecarConfig config;
    private final Clock clock;
    private final ObjectMapper mapper = Json.mapper();
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    /** Closed first on stop: background readers that write (transcripts, the import follower). */
    private final List<AutoCloseable> extras = new ArrayList<>();
    private final Map<String, BooleanSupplier> workers = new LinkedHashMap<>();

    Wiring(SidecarConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /** The database file, its single writer and the lock that makes it the only one. */
    record Store(WriterLock lock, Database database, EventWriter writer) {
    }

    /** What every commit feeds: the query cache (invalidated), the live hub (pushed) and the metrics. */
    record Commits(QueryCache cache, LiveHub hub, Metrics metrics) {
    }

    /** The two ingest paths: hooks, envelopes, spawner events and features; OTLP. */
    record Ingest(Ingestor hooks, OtlpIngestor otlp) {
    }

    SidecarConfig config() {
        return config;
    }

    ObjectMapper mapper() {
        return mapper;
    }

    List<AutoCloseable> extras() {
        return extras;
    }

    /** The background workers by name, each telling whether it still runs (readiness: {@code workers}). */
    Map<String, BooleanSupplier> workers() {
        return workers;
    }

    /** The main socket's connection guard (limit, request-head and body deadlines); stopped first on stop. */
    ConnectionGuard guard() {
        ConnectionGuard guard = open(new ConnectionGuard(config.maxConnections(), config.headerTimeout(),
                                                         config.readTimeout()));
        extras.add(guard);
        workers.put("connection-guard", guard::isRunning);
        return guard;
    }

    /** Gives the heap a burst grew back once the sidecar is quiet, unless {@code HTMLGRAPH_HEAP_RETURN_AFTER=off}. */
    void heapReturn() {
        config.heapReturnAfter().ifPresent(every -> {
            HeapReturn heap = open(new HeapReturn(every));
            extras.add(heap);
            heap.start();
            workers.put("heap-return", heap::isRunning);
        });
    }

    Store store() {
        WriterLock lock = open(WriterLock.acquire(config.db(), "pid " + ProcessHandle.current().pid()
                + ", ports " + config.port() + "/" + config.adminPort()));
        Database database = open(Database.open(config.db()));
        if (config.retention().isPresent() && !database.incrementalVacuum()) {
            LOG.info("retention is on: turning on incremental vacuum for " + config.db()
                     + " (one full VACUUM, once; it needs as much free disk as the file takes)");
            database.convertToIncrementalVacuum();
        }
        EventWriter writer = open(new EventWriter(database, clock));
        workers.put("store-health", database.health()::isRunning);
        workers.put("wal-checkpointer", database::checkpointerRunning);
        return new Store(lock, database, writer);
    }

    Commits commits(Store store) {
        QueryCache cache = new QueryCache(clock, config.queryCacheEntries());
        store.writer().onCommit(commit -> {
            if (commit.anywhere()) {
                cache.invalidateAll();
            } else {
                cache.invalidate(commit.sessions());
            }
        });
        LiveHub hub = open(new LiveHub(new ChangeQueries(store.database()), new Messages(mapper), config.wsBacklog(),
                                       config.wsQueue()));
        store.writer().onCommit(commit -> hub.committed(commit.sequence()));
        ReportQueries reports = new ReportQueries(store.database(), clock, config.idleAfter());
        Metrics metrics = open(new Metrics(config, store.database(), reports, hub, cache, clock));
        workers.put("metrics-refresh", metrics::isRunning);
        return new Commits(cache, hub, metrics);
    }

    /** Ingest, with transcripts read where configured; demo data and the import follower start here too. */
    Ingest ingest(Store store, Commits commits) {
        Ingestor ingestor = new Ingestor(mapper, config.payloadMaxBytes(), config.metadataOnly(), store.writer(),
                clock);
        Prices prices = Prices.load(config.pricesFile());
        if (!config.transcriptRoots().isEmpty()) {
            TranscriptReader transcripts = open(new TranscriptReader(config.transcriptRoots(), mapper, prices,
                    new TranscriptOffsets(store.database()), store.writer(), clock, config.transcriptPoll()));
            ingestor.onHooks(transcripts::observe);
            extras.add(transcripts);
            workers.put("transcript-reader", transcripts::isRunning);
        }
        OtlpIngestor otlp = new OtlpIngestor(mapper, prices, store.writer(), clock);
        if (config.demo()) {
            DemoData.fill(ingestor, otlp, prices, new EventQueries(store.database(), clock, config.idleAfter()), clock);
        }
        commits.metrics().start(); // after the demo data, so that the first figures include it
        config.importDb().ifPresent(file -> {
            ImportFollower follower = open(ImportFollower.start(new Importer(store.writer(),
                    new ImportCursors(store.database()), new TextCleaner(config.payloadMaxBytes(),
                    config.metadataOnly()), mapper, clock), file, config.importFollow(), commits.metrics().imports()));
            extras.add(follower);
            workers.put("htmlgraph-import", follower::isRunning);
        });
        return new Ingest(ingestor, otlp);
    }

    /** Everything the read routes and the dashboard answer from. */
    Routes.Readers readers(Store store, Commits commits) {
        Database database = store.database();
        EventQueries queries = new EventQueries(database, clock, config.idleAfter());
        TreeQueries trees = new TreeQueries(database);
        ReportQueries reportRows = new ReportQueries(database, clock, config.idleAfter());
        Reports reports = new Reports(reportRows, trees, clock);
        GroupedFeed feed = new GroupedFeed(trees, clock);
        EventTraces traces = new EventTraces(trees, clock);
        FeatureQueries features = new FeatureQueries(database);
        Dashboard dashboard = new Dashboard(new Dashboard.Sources(queries, reports, reportRows, feed, traces, trees,
                features, new MetricsQueries(database), new ViewQueries(database)), clock, config.idleAfter());
        ReadPool pool = open(new ReadPool(config.readThreads(), config.readQueue()));
        commits.metrics().bind(pool);
        return new Routes.Readers(queries, reports, reportRows, feed, traces, features, commits.hub(), commits.cache(),
                                  dashboard, new DailyQueries(database, clock), pool);
    }

    UpkeepScheduler upkeep(Store store) {
        UpkeepScheduler upkeep = open(new UpkeepScheduler(new Upkeep(store.database(), store.writer(), clock),
                config.idleAfter(), config.retention(), store.database().incrementalVacuum()));
        workers.put("upkeep", upkeep::isRunning);
        return upkeep;
    }

    /** The main socket's routes: request metrics first, then {@link Routes#main}. */
    void mainRouting(HttpRouting.Builder routing, Store store, Commits commits, Ingest ingest,
                     Routes.Readers readers, ConnectionGuard guard) {
        commits.metrics().instrument(routing);
        Routes.main(routing, config, ingest.hooks(), readers, new Json(mapper), commits.metrics().ingest(),
                    ingest.otlp(), new UsageQueries(store.database()), guard);
    }

    Clock clock() {
        return clock;
    }

    private <T extends AutoCloseable> T open(T resource) {
        opened.push(resource);
        return resource;
    }

    /** After a failed start: closes what was opened, newest first. */
    void closeOpened() {
        opened.forEach(Wiring::closeQuietly);
    }

    static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "could not close " + resource, e);
        }
    }
}
