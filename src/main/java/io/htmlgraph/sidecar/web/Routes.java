package io.htmlgraph.sidecar.web;

import java.time.Duration;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.ListenerConfig;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;
import io.htmlgraph.sidecar.config.SidecarConfig;
import io.htmlgraph.sidecar.ingest.Ingestor;
import io.htmlgraph.sidecar.live.LiveHub;
import io.htmlgraph.sidecar.metrics.IngestMetrics;
import io.htmlgraph.sidecar.metrics.Metrics;
import io.htmlgraph.sidecar.query.EventTraces;
import io.htmlgraph.sidecar.query.GroupedFeed;
import io.htmlgraph.sidecar.query.QueryCache;
import io.htmlgraph.sidecar.query.Reports;
import io.htmlgraph.sidecar.store.EventQueries;
import io.htmlgraph.sidecar.store.FeatureQueries;

/** The main socket's routes: token check, ingest, the JSON API, JSON errors, and a JSON 404 for the rest. */
public final class Routes {
    private static final Duration IDLE_CHECK = Duration.ofSeconds(1);

    private Routes() {
    }

    /** Everything the read routes answer from. */
    public record Readers(EventQueries events, Reports reports, GroupedFeed groupedFeed, EventTraces traces,
                          FeatureQueries features, LiveHub hub, QueryCache cache) {
    }

    /** {@code GET /api/stream}: the live stream's state. */
    record StreamStatus(int connectedClients, long droppedClients, long sequence) {
    }

    public static void main(HttpRouting.Builder routing, SidecarConfig config, Ingestor ingestor, Readers readers,
                            Json json, IngestMetrics metrics) {
        Answers answers = new Answers(readers.cache(), json);
        IngestService ingest = new IngestService(ingestor, json, config.maxBodyBytes(), config.writeToken().isPresent(),
                                                 metrics);
        routing.addFilter(new CloseFilter())
               .addFilter(new HostFilter(hosts(config), json, metrics))
               .addFilter(new TokenFilter(config.writeToken(), config.readToken(), json, metrics))
               .register(ingest)
               .register("/api/features", new FeatureService(readers.features(), ingestor, ingest, answers))
               .get("/api/stream", (req, res) -> json.send(res, new StreamStatus(readers.hub().connectedClients(),
                       readers.hub().droppedClients(), readers.hub().sentSequence())))
               .register("/api", new ApiService(readers.events(), readers.reports(), answers),
                         new ReportService(readers.groupedFeed(), readers.traces(), readers.reports(), answers))
               .any((req, res) -> json.error(res, Status.NOT_FOUND_404, "not_found",
                       "no route for " + req.prologue().method().text() + " " + req.requestedUri().path().path()));
        ErrorHandling.register(routing, json);
    }

    /** The main socket's bounds (issue 13): connections, concurrent requests, idle time, header sizes, JSON errors. */
    public static void limits(ListenerConfig.BuilderBase<?, ?> listener, SidecarConfig config) {
        listener.maxTcpConnections(config.maxConnections())
                .maxConcurrentRequests(config.maxConcurrentRequests())
                .idleConnectionTimeout(config.idleTimeout())
                .idleConnectionPeriod(IDLE_CHECK)
                .directHandlers(directHandlers());
    }

    /** Helidon's own errors (bad request line, 413, 414, 431, 501…) as our JSON error body. */
    public static DirectHandlers directHandlers() {
        return JsonDirectHandler.all();
    }

    /** The host names the main socket answers to. */
    public static Hosts hosts(SidecarConfig config) {
        return new Hosts(config.allowedHosts(), config.host());
    }

    /**
     * The admin socket's {@code /metrics} (health comes from Helidon's observe feature). Prometheus text, or
     * OpenMetrics when the scraper asks for it.
     * <pre>
     * curl http://127.0.0.1:9464/metrics
     * </pre>
     */
    public static void admin(HttpRouting.Builder routing, Metrics metrics) {
        routing.get("/metrics", (req, res) -> {
            boolean openMetrics = req.headers().first(HeaderNames.ACCEPT)
                    .map(accept -> accept.contains("application/openmetrics-text")).orElse(false);
            res.header(HeaderNames.CONTENT_TYPE, Metrics.contentType(openMetrics));
            res.send(metrics.scrape(openMetrics));
        });
    }
}
