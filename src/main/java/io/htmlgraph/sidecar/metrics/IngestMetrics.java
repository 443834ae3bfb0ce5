package io.htmlgraph.sidecar.metrics;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.htmlgraph.sidecar.domain.ErrorCode;
import io.htmlgraph.sidecar.domain.IngestSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Ingest counters, counted as requests are answered. Sources are the ingest endpoints ({@code hooks}: /api/hooks,
 * {@code envelopes}: /events, {@code spawner}: /api/spawner-events); reasons are the {@link ErrorCode}s of the answers,
 * each registered at 0 from the start (a series born at its first increment would hide that increment from rate()).
 * <pre>
 * htmlgraph_ingest_events_total{source="hooks"} 120.0
 * htmlgraph_ingest_rejected_total{reason="malformed_json",source="hooks"} 1.0
 * htmlgraph_ingest_request_duration_seconds_bucket{source="hooks",le="0.005"} 118
 * </pre>
 */
public final class IngestMetrics {
    private static final String EVENTS = "htmlgraph.ingest.events";
    private static final String REJECTED = "htmlgraph.ingest.rejected";
    private static final String DURATION = "htmlgraph.ingest.request.duration";
    private static final Duration[] BUCKETS = {Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2),
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(1000)};

    private final MeterRegistry registry;
    private final Map<IngestSource, Counter> accepted;
    private final Map<IngestSource, Timer> durations;

    IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
        accepted = bySource(source -> Counter.builder(EVENTS).tag("source", source.label())
                .description("Events accepted (payloads; a PostToolUse completes the row of its PreToolUse)")
                .register(registry));
        for (IngestSource source : IngestSource.values()) {
            Arrays.stream(ErrorCode.values()).filter(ErrorCode::ingest).forEach(reason -> rejectedCounter(source,
                    reason));
        }
        durations = bySource(source -> Timer.builder(DURATION).tag("source", source.label())
                .description("Time to answer an ingest request, accepted or not").serviceLevelObjectives(BUCKETS)
                .register(registry));
    }

    /** Counts {@code events} stored by one request of {@code source}. */
    public void accepted(IngestSource source, int events) {
        accepted.get(source).increment(events);
    }

    /** Counts one refused request of {@code source}; {@code reason} is its error code (a fixed set). */
    public void rejected(IngestSource source, ErrorCode reason) {
        rejectedCounter(source, reason).increment();
    }

    private Counter rejectedCounter(IngestSource source, ErrorCode reason) {
        return Counter.builder(REJECTED).tag("source", source.label()).tag("reason", reason.code())
                .description("Ingest requests refused, by error code; nothing of them was stored")
                .register(registry);
    }

    /** Records how long one ingest request of {@code source} took. */
    public void answered(IngestSource source, long nanos) {
        durations.get(source).record(nanos, TimeUnit.NANOSECONDS);
    }

    private static <T> Map<IngestSource, T> bySource(Function<IngestSource, T> meter) {
        return Arrays.stream(IngestSource.values()).collect(Collectors.toUnmodifiableMap(Function.identity(), meter));
    }
}
