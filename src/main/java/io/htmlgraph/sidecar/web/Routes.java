package io.htmlgraph.sidecar.web;

import java.time.Duration;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.ListenerConfig;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;
import io.htmlgraph.sidecar.config.SidecarConfig;
import io.htmlgraph.sidecar.ingest.Ingestor;
import io.htmlgraph.sidecar.ingest.OtlpIngestor;
import io.htmlgraph.sidecar.live.LiveHub;
import io.htmlgraph.sidecar.metrics.IngestMetrics;
import io.htmlgraph.sidecar.metrics.Metrics;
import io.htmlgraph.sidecar.ops.RequestIds;
import io.htmlgraph.sidecar.query.EventTraces;
import io.htmlgraph.sidecar.query.GroupedFeed;
import io.htmlgraph.sidecar.query.QueryCache;
import io.htmlgraph.sidecar.query.ReportQueries;
import io.htmlgraph.sidecar.query.Reports;
import io.htmlgraph.sidecar.query.DailyQueries;
import io.htmlgraph.sidecar.query.EventQueries;
import io.htmlgraph.sidecar.query.FeatureQueries;
import io.htmlgraph.sidecar.store.ReadPool;
import io.htmlgraph.sidecar.query.UsageQueries;
import io.htmlgraph.sidecar.view.Dashboard;

/**
 * The main socket's routes: token check, ingest, the dashboard (page, fragments, static files, login), the JSON API,
 * JSON errors, and a JSON 404 for the rest.
 */
public final class Routes {
    private static final Duration IDLE_CHECK = Duration.ofSeconds(1);

    private Routes() {
    }

    /** Everything the read routes answer from. */
    public record Readers(EventQueries events, Reports reports, ReportQueries reportRows, GroupedFeed groupedFeed,
                          EventTraces traces,
                          FeatureQueries features, LiveHub hub, QueryCache cache, Dashboard dashboard,
                          DailyQueries daily, ReadPool pool) {
    }

    /** {@code GET /api/stream}: the live stream's state. */
    record StreamStatus(int connectedClients, long droppedClients, long sequence) {
    }

    /**
     * Helidon tries routes in the order given, each path pattern a regular expression: ingest first (the busiest),
     * then the {@code /api} services, which one prefix check passes or skips, then the dashboard's page, fragment and
     * file routes.
     */
    public static void main(HttpRouting.Builder routing, SidecarConfig config, Ingestor ingestor, Readers readers,
                            Json json, IngestMetrics metrics, OtlpIngestor otlp, UsageQueries usage,
                            ConnectionGuard guard) {
        Answers answers = new Answers(readers.cache(), readers.pool(), json);
        RequestBodies bodies = new RequestBodies(config.maxBodyBytes(), config.writeToken().isPresent(),
                                                 guard::watchBody);
        IngestRoutes ingest = new IngestRoutes(metrics);
        LoginCookie cookie = new LoginCookie();
        routing.addFilter(new RequestIds())
               .addFilter(new NoSniff())
               .addFilter(new CloseFilter())
               .addFilter(new HostFilter(hosts(config), json, ingest))
               .addFilter(new TokenFilter(config.writeToken(), config.readToken(), json, ingest, cookie,
                                          config.allowedOrigins()))
               .addFilter(new LargeBodies(config.maxBodyBytes(), json, ingest::refused))
               .register(new IngestService(ingestor, bodies, json, ingest))
               .register(new OtlpService(otlp, config.maxBodyBytes(), bodies, ingest))
               .register("/api/features", new FeatureService(readers.features(), ingestor, bodies, answers))
               .get("/api/stream", (req, res) -> json.send(res, new StreamStatus(readers.hub().connectedClients(),
                       readers.hub().droppedClients(), readers.hub().sentSequence())))
               .register("/api", new UsageService(usage, ingestor, bodies, answers))
               .register("/api/daily", new DailyService(readers.daily(), answers))
               .register("/api", new ApiService(readers.events(), readers.reports(), readers.reportRows(), answers),
                         new ReportService(readers.groupedFeed(), readers.traces(), readers.reports(),
                                           readers.reportRows(), answers))
               .register(new StaticFiles(), new LoginService(readers.dashboard(), cookie, bodies,
                                                             config.readToken(), config.writeToken()),
                         new DashboardService(readers.dashboard(), readers.cache(), readers.pool(),
                                              readers.hub()))
               .any((req, res) -> ErrorHandling.notFound(req, res, json));
        ErrorHandling.register(routing, json);
    }

    /**
     * The main socket's bounds (issue 13): connections and request-head time (the guard), concurrent requests, idle
     * time, header sizes, JSON errors.
     */
    public static void limits(ListenerConfig.BuilderBase<?, ?> listener, SidecarConfig config, ConnectionGuard guard) {
        guard.install(listener);
        listener.maxConcurrentRequests(config.maxConcurrentRequests());
        socketBasics(listener, config);
    }

    /** What both sockets have: idle connections closed after the idle timeout, Helidon's own errors as JSON. */
    public static void socketBasics(ListenerConfig.BuilderBase<?, ?> listener, SidecarConfig config) {
        listener.idleConnectionTimeout(config.idleTimeout())
                .idleConnectionPeriod(IDLE_CHECK)
                .directHandlers(directHandlers());
    }

    /** Helidon's own errors (bad request line, 413, 414, 431, 501…) as our JSON error body. */
    private static DirectHandlers directHandlers() {
        return JsonDirectHandler.all();
    }

    /** The host names the main socket answers to. */
    public static Hosts hosts(SidecarConfig config) {
        return new Hosts(config.allowedHosts(), config.host());
    }

    /**
     * The admin socket's {@code /metrics} and {@code POST /admin/backup} (health comes from Helidon's observe
     * feature). Prometheus text, or
     * OpenMetrics when the scraper asks for it.
     * <pre>
     * curl http://127.0.0.1:9464/metrics
     * </pre>
     */
    public static void admin(HttpRouting.Builder routing, Metrics metrics, BackupService backup, Json json) {
        routing.addFilter(new RequestIds()).addFilter(new NoSniff()).addFilter(new CloseFilter())
                .register("/admin", backup);
        routing.get("/metrics", (req, res) -> {
            Metrics.Scrape scrape = metrics.scrape(req.headers().first(HeaderNames.ACCEPT).orElse(""));
            res.header(HeaderNames.CONTENT_TYPE, scrape.contentType());
            res.send(scrape.text());
        });
        ErrorHandling.register(routing, json);
    }
}
