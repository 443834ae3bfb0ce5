package io.htmlgraph.sidecar.metrics;

import java.time.Clock;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.htmlgraph.sidecar.store.HtmlgraphFile;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The background import of an htmlgraph file ({@code HTMLGRAPH_IMPORT_DB}), counted as its passes run: every series
 * is exported from the start, at 0 (the time NaN) while no pass has run or no file is configured, so that a fleet's
 * sidecars all have them and {@code rate()} sees the first increment.
 * <pre>
 * htmlgraph_import_rows_read_total{table="agent_events"} 4076.0
 * htmlgraph_import_passes_total{outcome="completed"} 118.0
 * htmlgraph_import_passes_total{outcome="failed"} 0.0
 * htmlgraph_import_last_completed_timestamp_seconds 1.764612345E9
 * </pre>
 */
public final class ImportMetrics {
    private static final String PASSES = "htmlgraph.import.passes";

    private final Map<String, Counter> rowsRead;
    private final Counter completed;
    private final Counter failed;
    private final Clock clock;
    private volatile double completedAt = Double.NaN;

    ImportMetrics(MeterRegistry registry, Clock clock) {
        this.clock = clock;
        rowsRead = HtmlgraphFile.TABLES.stream().collect(Collectors.toUnmodifiableMap(Function.identity(),
                table -> Counter.builder("htmlgraph.import.rows.read").tag("table", table)
                        .description("Rows read from the htmlgraph file and handed to the writer, by source table"
                                     + " (rows read again after a failed pass count again)")
                        .register(registry)));
        completed = Counter.builder(PASSES).tag("outcome", "completed")
                .description("Passes over the htmlgraph file: completed (read to its end) or failed (see the log;"
                             + " the next pass goes on from the last commit)")
                .register(registry);
        failed = Counter.builder(PASSES).tag("outcome", "failed").register(registry);
        Gauge.builder("htmlgraph.import.last.completed.timestamp", this, m -> m.completedAt).baseUnit("seconds")
                .description("When a pass last read the htmlgraph file to its end (Unix time)").register(registry);
    }

    /** Counts rows of {@code table} read and handed to the writer. */
    public void rowsRead(String table, long rows) {
        rowsRead.get(table).increment(rows);
    }

    /** A pass read the file to its end: what it read is stored. */
    public void passCompleted() {
        completed.increment();
        completedAt = clock.millis() / 1000.0;
    }

    /** A pass failed (a missing or broken file, a busy store); the follower tries again. */
    public void passFailed() {
        failed.increment();
    }
}
