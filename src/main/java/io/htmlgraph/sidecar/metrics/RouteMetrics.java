package io.htmlgraph.sidecar.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Requests per route template, method and status class, timed into a histogram through Helidon's metrics API (the
 * same registry as Helidon's own {@code requests_*} meters). Helidon 4.5.0 defines automatic HTTP metrics
 * ({@code metrics.auto-http-metrics}) but ships no provider for its Micrometer implementation, so this filter fills
 * that gap (README, "Design notes"). Labels are bounded: the route is the template the request matched
 * ({@code /api/sessions/{id}}), never the raw path, and {@code unmatched} when none did.
 * <pre>
 * http_server_request_duration_seconds_bucket{method="GET",route="/api/events",status="2xx",le="0.005"} 118
 * http_server_request_duration_seconds_count{method="GET",route="/api/events",status="2xx"} 120
 * </pre>
 */
public final class RouteMetrics implements Filter {
    private static final String NAME = "http.server.request.duration";
    private static final Duration[] BUCKETS = {Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2),
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(22), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(1000), Duration.ofMillis(5000)};

    /** Methods labelled by name; anything else a client invents is {@code other} (labels stay bounded). */
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    private final MeterRegistry registry;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    RouteMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long started = System.nanoTime();
        // after the answer is sent: its final status, also when an error handler wrote it
        res.whenSent(() -> timer(method(req), route(req), res.status().code())
                .record(System.nanoTime() - started, TimeUnit.NANOSECONDS));
        chain.proceed();
    }

    private static String method(RoutingRequest req) {
        String method = req.prologue().method().text();
        return METHODS.contains(method) ? method : "other";
    }

    /** The matched route template; the catch-all 404 route has an empty one. */
    private static String route(RoutingRequest req) {
        return req.matchingPattern().filter(pattern -> !pattern.isEmpty()).orElse("unmatched");
    }

    /**
     * The timer of a method, route and status class: looked up in the registry once per combination (routes and
     * methods are bounded, see above), not built and looked up again on every request.
     */
    private Timer timer(String method, String route, int status) {
        String key = method + ' ' + status / 100 + ' ' + route;
        Timer timer = timers.get(key);
        if (timer == null) {
            timer = newTimer(method, route, status);
            timers.put(key, timer);
        }
        return timer;
    }

    private Timer newTimer(String method, String route, int status) {
        return registry.getOrCreate(Timer.builder(NAME)
                .scope("vendor")
                .description("Time to answer an HTTP request, by route template, method and status class")
                .tags(List.of(Tag.create("method", method), Tag.create("route", route),
                              Tag.create("status", status / 100 + "xx")))
                .buckets(BUCKETS)
                .percentiles(new double[0]));
    }
}
