package io.htmlgraph.sidecar.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

import io.htmlgraph.sidecar.live.LiveHub;
import io.htmlgraph.sidecar.query.QueryCache;
import io.htmlgraph.sidecar.store.Database;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The sidecar's own health, read from the live objects at each scrape:
 * <pre>
 * htmlgraph_build_info{java_version="25.0.3+9-LTS",version="0.1.0-SNAPSHOT"} 1
 * htmlgraph_query_cache_hits_total 310.0
 * htmlgraph_websocket_clients 2.0
 * htmlgraph_websocket_dropped_messages_total 0.0
 * htmlgraph_database_size_bytes 4100096.0
 * htmlgraph_metrics_refresh_duration_seconds 0.004
 * </pre>
 */
final class HealthMetrics {
    private final Counter refreshFailures;
    private volatile double refreshSeconds = Double.NaN; // NaN until the first refresh: no time yet, not 0
    private volatile double refreshedAt = Double.NaN;

    HealthMetrics(MeterRegistry registry, Database database, LiveHub hub, QueryCache cache) {
        Gauge.builder("htmlgraph.build.info", () -> 1).description("The running sidecar's version and Java runtime")
                .tag("version", version()).tag("java_version", Runtime.version().toString()).register(registry);
        FunctionCounter.builder("htmlgraph.query.cache.hits", cache, QueryCache::hits)
                .description("Read-API answers served from the query cache").register(registry);
        FunctionCounter.builder("htmlgraph.query.cache.misses", cache, QueryCache::misses)
                .description("Read-API answers computed from the store").register(registry);
        Gauge.builder("htmlgraph.query.cache.entries", cache, QueryCache::size)
                .description("Answers held by the query cache").register(registry);
        Gauge.builder("htmlgraph.query.cache.hit.ratio", cache, QueryCache::hitRatio)
                .description("Cache hits / all cacheable reads since start (0..1)").register(registry);
        Gauge.builder("htmlgraph.websocket.clients", hub, LiveHub::connectedClients)
                .description("Connected WebSocket clients of /ws/events").register(registry);
        FunctionCounter.builder("htmlgraph.websocket.dropped.clients", hub, LiveHub::droppedClients)
                .description("WebSocket clients dropped because they fell HTMLGRAPH_WS_QUEUE messages behind")
                .register(registry);
        FunctionCounter.builder("htmlgraph.websocket.dropped.messages", hub, LiveHub::droppedMessages)
                .description("Messages never delivered because their WebSocket client was dropped").register(registry);
        Gauge.builder("htmlgraph.database.size", database, Database::sizeBytes).baseUnit("bytes")
                .description("Size of the SQLite file and its write-ahead log").register(registry);
        Gauge.builder("htmlgraph.metrics.refresh.duration", this, m -> m.refreshSeconds).baseUnit("seconds")
                .description("Time the latest refresh of the database-derived metrics took").register(registry);
        Gauge.builder("htmlgraph.metrics.refresh.timestamp", this, m -> m.refreshedAt).baseUnit("seconds")
                .description("When the database-derived metrics were last refreshed (Unix time)").register(registry);
        refreshFailures = Counter.builder("htmlgraph.metrics.refresh.failures")
                .description("Refreshes of the database-derived metrics that failed (see the log)").register(registry);
    }

    void refreshed(double seconds, double at) {
        refreshSeconds = seconds;
        refreshedAt = at;
    }

    void refreshFailed() {
        refreshFailures.increment();
    }

    private static String version() {
        Properties build = new Properties();
        try (InputStream in = HealthMetrics.class.getClassLoader().getResourceAsStream("build.properties")) {
            if (in != null) {
                build.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return build.getProperty("version", "unknown");
    }
}
