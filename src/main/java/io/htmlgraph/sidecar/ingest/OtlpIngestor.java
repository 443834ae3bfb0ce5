package io.htmlgraph.sidecar.ingest;

import java.time.Clock;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.htmlgraph.sidecar.domain.BadInputException;
import io.htmlgraph.sidecar.correlate.EventWriter;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

/**
 * The OTLP ingest path: decode a request (JSON or protobuf), map its records to usage items, store them in one
 * all-or-nothing write. An undecodable body is a {@link BadInputException} (nothing stored); records that are valid
 * OTLP but unusable (no session id, negative tokens) are rejected one by one and reported as a partial success.
 */
public final class OtlpIngestor {
    private final OtlpDecoder decoder;
    private final OtlpJsonLogs jsonLogs;
    private final OtlpLogs logs;
    private final OtlpSignals signals;
    private final EventWriter writer;
    private final Clock clock;

    public OtlpIngestor(ObjectMapper mapper, Prices prices, EventWriter writer, Clock clock) {
        UsageRecords usage = new UsageRecords(prices);
        this.decoder = new OtlpDecoder(mapper);
        this.jsonLogs = new OtlpJsonLogs(mapper);
        this.logs = new OtlpLogs(usage);
        this.signals = new OtlpSignals(usage);
        this.writer = writer;
        this.clock = clock;
    }

    /** What a request came to: records stored or ignored, and those rejected (with the first reason). */
    public record Result(int items, long rejected, String errorMessage) {
    }

    /** {@code POST /v1/logs}. */
    public Result logs(byte[] body, boolean json) {
        OtlpBounds.check(body, json);
        ExportLogsServiceRequest request = json ? jsonLogs.parse(body)
                : decoder.decode(body, false, ExportLogsServiceRequest.newBuilder()).build();
        OtlpBatch batch = new OtlpBatch();
        logs.map(request, batch, clock.instant());
        return store(batch);
    }

    /** {@code POST /v1/metrics}. */
    public Result metrics(byte[] body, boolean json) {
        OtlpBounds.check(body, json);
        ExportMetricsServiceRequest request = decoder.decode(body, json, ExportMetricsServiceRequest.newBuilder())
                .build();
        OtlpBatch batch = new OtlpBatch();
        signals.metrics(request, batch);
        return store(batch);
    }

    /** {@code POST /v1/traces}. */
    public Result traces(byte[] body, boolean json) {
        OtlpBounds.check(body, json);
        ExportTraceServiceRequest request = decoder.decode(body, json, ExportTraceServiceRequest.newBuilder()).build();
        OtlpBatch batch = new OtlpBatch();
        signals.spans(request, batch, clock.instant());
        return store(batch);
    }

    private Result store(OtlpBatch batch) {
        if (!batch.items.isEmpty()) {
            writer.write(batch.items);
        }
        return new Result(batch.items.size(), batch.rejected, batch.firstError);
    }
}
