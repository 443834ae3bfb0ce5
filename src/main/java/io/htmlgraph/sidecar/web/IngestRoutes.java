package io.htmlgraph.sidecar.web;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import io.helidon.http.PathMatcher;
import io.helidon.http.PathMatchers;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.htmlgraph.sidecar.domain.ErrorCode;
import io.htmlgraph.sidecar.domain.IngestSource;
import io.htmlgraph.sidecar.metrics.IngestMetrics;

/**
 * The ingest routes, each registered once with its source: the handler counts what it accepts, refuses (by
 * {@link ErrorCode}) and takes; the filters that refuse a request before any route runs (host, token) find the source
 * in this same table rather than re-deriving it from the path. Ingest services register at the root path.
 */
final class IngestRoutes {
    private final IngestMetrics metrics;
    private final List<Route> routes = new CopyOnWriteArrayList<>();

    IngestRoutes(IngestMetrics metrics) {
        this.metrics = metrics;
    }

    /** A handler that answers and returns how many events it stored. */
    interface IngestHandler {
        int handle(ServerRequest req, ServerResponse res);
    }

    private record Route(PathMatcher path, IngestSource source) {
    }

    /** Registers {@code POST path} as an ingest route of {@code source}. */
    void post(HttpRules rules, String path, IngestSource source, IngestHandler handler) {
        routes.add(new Route(PathMatchers.create(path), source));
        rules.post(path, counted(source, handler));
    }

    /** Counts an ingest request refused by a filter, if the request is one; {@code started}: its System.nanoTime. */
    void refused(RoutingRequest req, ErrorCode reason, long started) {
        source(req).ifPresent(source -> {
            metrics.rejected(source, reason);
            metrics.answered(source, System.nanoTime() - started);
        });
    }

    private Optional<IngestSource> source(RoutingRequest req) {
        return routes.stream().filter(r -> r.path().match(req.prologue().uriPath()).accepted())
                .map(Route::source).findFirst();
    }

    private Handler counted(IngestSource source, IngestHandler handler) {
        return (req, res) -> {
            long started = System.nanoTime();
            try {
                metrics.accepted(source, handler.handle(req, res));
            } catch (RuntimeException e) {
                metrics.rejected(source, ErrorHandling.code(e));
                throw e;
            } finally {
                metrics.answered(source, System.nanoTime() - started);
            }
        };
    }
}
