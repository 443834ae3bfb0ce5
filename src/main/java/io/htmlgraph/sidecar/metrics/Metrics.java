package io.htmlgraph.sidecar.metrics;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.helidon.metrics.api.BuiltInMeterNameFormat;
import io.helidon.metrics.api.MetricsConfig;
import io.helidon.service.registry.Services;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import io.htmlgraph.sidecar.config.SidecarConfig;
import io.htmlgraph.sidecar.live.LiveHub;
import io.htmlgraph.sidecar.query.QueryCache;
import io.htmlgraph.sidecar.store.Database;
import io.htmlgraph.sidecar.query.MetricsQueries;
import io.htmlgraph.sidecar.query.ReportQueries;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.expositionformats.PrometheusProtobufWriter;

/**
 * The Prometheus exposition served at {@code /metrics} on the admin socket: the {@code htmlgraph_*} families,
 * Helidon's server meters ({@code requests_*} and {@code http_server_request_duration_seconds}, see
 * {@link #instrument}) and Micrometer's JVM and process meters ({@code jvm_*}, {@code process_*}). Figures about
 * the store come from a {@link Snapshot} that one thread replaces every {@code HTMLGRAPH_METRICS_REFRESH}; a scrape
 * reads the latest one whole and never waits on SQLite.
 * <pre>
 * curl http://127.0.0.1:9464/metrics
 * </pre>
 */
public final class Metrics implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Metrics.class.getName());

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private static final ExpositionFormats FORMATS = ExpositionFormats.init();

    private final AtomicReference<Snapshot> latest = new AtomicReference<>();
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(
            platformThread("metrics-refresh"));
    /** Its periodic pass, once scheduled. */
    private volatile ScheduledFuture<?> task;
    private final ExecutorService scraper = Executors.newSingleThreadExecutor(platformThread("metrics-scrape"));
    private final SnapshotReader reader;
    private final Clock clock;
    private final IngestMetrics ingest;
    private final ImportMetrics imports;
    private final HealthMetrics health;
    private final Duration refreshEvery;
    private final io.helidon.metrics.api.MeterRegistry helidon =
            Services.get(io.helidon.metrics.api.MeterRegistry.class);

    /** Registers every family; {@link #start} begins the refreshes. */
    public Metrics(SidecarConfig config, Database database, ReportQueries reports, LiveHub hub, QueryCache cache,
                   Clock clock) {
        this.reader = new SnapshotReader(new MetricsQueries(database), reports, clock, config.idleAfter(),
                                         config.metricsTopN());
        this.clock = clock;
        // the two meters of ProcessorMetrics whose names promtool rejects (abbreviated unit, _count on a gauge)
        registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")
                                                             || id.getName().equals("system.cpu.count")));
        // Helidon 4.5.0 names one key performance indicator in camelCase even in its snake-case format
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().equals("requests.longRunning") ? id.withName("requests.long.running") : id;
            }
        });
        // Helidon's meters live in Micrometer's global composite registry: this registry joins it to expose them too
        io.micrometer.core.instrument.Metrics.addRegistry(registry);
        ingest = new IngestMetrics(registry);
        imports = new ImportMetrics(registry, clock);
        health = new HealthMetrics(registry, database, hub, cache);
        registry.getPrometheusRegistry().register(new AgentMetrics(latest::get));
        registry.getPrometheusRegistry().register(new SpawnerMetrics(latest::get));
        registry.getPrometheusRegistry().register(new StoreMetrics(latest::get));
        refreshEvery = config.metricsRefresh();
    }

    /** Refreshes the snapshot now and then every refresh interval, in the background (with the JVM meters). */
    public void start() {
        refresher.execute(this::bindJvmMeters); // off the start-up path: loading them takes ~150 ms
        task = refresher.scheduleWithFixedDelay(this::refresh, 0, refreshEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void bindJvmMeters() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /**
     * Measures the requests of a socket's routing with Helidon's metrics: its key performance indicators (requests
     * counted, in flight, long running, deferred; {@code requests_*}) and the time per route ({@link RouteMetrics}).
     */
    public void instrument(HttpRouting.Builder routing) {
        MetricsObserver.create(observer -> observer.meterRegistry(helidon).metricsConfig(MetricsConfig.builder()
                        .builtInMeterNameFormat(BuiltInMeterNameFormat.SNAKE)
                        .keyPerformanceIndicatorMetricsConfig(kpi -> kpi.extended(true))
                        .build()))
                .configureVendorMetrics(routing);
        routing.addFilter(new RouteMetrics(helidon));
    }

    /** Registers the meters a component keeps itself (the connection guard, the read pool). */
    public void bind(MeterBinder component) {
        component.bindTo(registry);
    }

    public IngestMetrics ingest() {
        return ingest;
    }

    public ImportMetrics imports() {
        return imports;
    }

    /** Reads the store into a new snapshot now (the scheduler does this every refresh interval). */
    public synchronized void refresh() {
        long started = System.nanoTime();
        try {
            latest.set(reader.read());
            health.refreshed((System.nanoTime() - started) / 1e9, clock.millis() / 1000.0);
        } catch (RuntimeException e) {
            health.refreshFailed();
            LOG.log(Level.WARNING, "metrics refresh failed; the previous figures stay", e);
        }
    }

    /** One rendered exposition and the content type it is written in. */
    public record Scrape(String contentType, String text) {
    }

    /**
     * The exposition in the format the scraper's {@code Accept} header asks for, as the Prometheus client library
     * chooses it: OpenMetrics 1.0 when asked, else Prometheus text 0.0.4 (the binary protobuf format is never
     * chosen: Prometheus asks for it only with native histograms, which these meters do not have). Written on a
     * platform thread: on a virtual thread the JDK's BufferedWriter, which the Prometheus writer uses, grows its
     * buffer one write at a time (about 20 MB of copies and 10 ms per scrape, measured; 0.5 ms on a platform thread).
     */
    public Scrape scrape(String accept) {
        ExpositionFormatWriter writer = FORMATS.findWriter(accept);
        if (writer instanceof PrometheusProtobufWriter) {
            writer = FORMATS.getPrometheusTextFormatWriter();
        }
        String contentType = writer.getContentType();
        try {
            String text = scraper.submit(() -> registry.scrape(contentType)).get(10, TimeUnit.SECONDS);
            return new Scrape(contentType, text);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while scraping", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("scrape failed", e);
        }
    }

    /** Whether its periodic pass still runs: an error thrown out of a pass (out of memory) ends it for good. */
    public boolean isRunning() {
        ScheduledFuture<?> pass = task;
        return pass != null && !pass.isDone();
    }

    /** Stops refreshing (waiting for a refresh under way: it reads the store) and scraping. */
    @Override
    public void close() {
        refresher.shutdownNow();
        scraper.shutdown();
        try {
            if (!refresher.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warning("a metrics refresh is still running at shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        gc.close();
        io.micrometer.core.instrument.Metrics.removeRegistry(registry);
        registry.close();
    }

    private static ThreadFactory platformThread(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
