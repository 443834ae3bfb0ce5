package io.htmlgraph.sidecar.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Ingest counters, counted as requests are answered. Sources are the ingest endpoints ({@code hooks}: /api/hooks,
 * {@code envelopes}: /events, {@code spawner}: /api/spawner-events); reasons are the error codes of the answers,
 * each registered at 0 from the start (a series born at its first increment would hide that increment from rate()).
 * <pre>
 * htmlgraph_ingest_events_total{source="hooks"} 120.0
 * htmlgraph_ingest_rejected_total{reason="malformed_json",source="hooks"} 1.0
 * htmlgraph_ingest_request_duration_seconds_bucket{source="hooks",le="0.005"} 118
 * </pre>
 */
public final class IngestMetrics {
    private static final List<String> SOURCES = List.of("hooks", "envelopes", "spawner", "otlp");
    private static final String EVENTS = "htmlgraph.ingest.events";
    private static final String REJECTED = "htmlgraph.ingest.rejected";
    private static final String DURATION = "htmlgraph.ingest.request.duration";
    /** The error codes an ingest request can be refused with (see ErrorHandling and BadInputException). */
    private static final List<String> REASONS = List.of("malformed_json", "empty_body", "invalid_event",
            "invalid_field", "missing_field", "too_many_events", "payload_too_large", "unsupported_media_type",
            "unauthorized", "bad_request", "store_busy", "internal_error", "invalid_otlp",
            // hostile clients and store faults
            "host_not_allowed", "store_full", "store_unavailable", "payload_too_deep");
    private static final Duration[] BUCKETS = {Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2),
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(1000)};

    private final MeterRegistry registry;
    private final Map<String, Counter> accepted;
    private final Map<String, Timer> durations;

    IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        accepted = bySource(source -> Counter.builder(EVENTS).tag("source", source)
                .description("Events accepted (payloads; a PostToolUse completes the row of its PreToolUse)")
                .register(registry));
        SOURCES.forEach(source -> REASONS.forEach(reason -> rejectedCounter(source, reason)));
        durations = bySource(source -> Timer.builder(DURATION).tag("source", source)
                .description("Time to answer an ingest request, accepted or not").serviceLevelObjectives(BUCKETS)
                .register(registry));
    }

    /** Counts {@code events} stored by one request of {@code source}. */
    public void accepted(String source, int events) {
        accepted.get(source).increment(events);
    }

    /** Counts one refused request of {@code source}; {@code reason} is its error code (a fixed set). */
    public void rejected(String source, String reason) {
        rejectedCounter(source, reason).increment();
    }

    private Counter rejectedCounter(String source, String reason) {
        return Counter.builder(REJECTED).tag("source", source).tag("reason", reason)
                .description("Ingest requests refused, by error code; nothing of them was stored")
                .register(registry);
    }

    /** Records how long one ingest request of {@code source} took. */
    public void answered(String source, long nanos) {
        durations.get(source).record(nanos, TimeUnit.NANOSECONDS);
    }

    private static <T> Map<String, T> bySource(Function<String, T> meter) {
        return SOURCES.stream().collect(Collectors.toUnmodifiableMap(Function.identity(), meter));
    }
}
