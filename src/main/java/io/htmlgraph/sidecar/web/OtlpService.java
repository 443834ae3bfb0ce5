package io.htmlgraph.sidecar.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.htmlgraph.sidecar.domain.ErrorCode;
import io.htmlgraph.sidecar.domain.IngestSource;
import io.htmlgraph.sidecar.domain.BadInputException;
import io.htmlgraph.sidecar.ingest.OtlpIngestor;
import io.htmlgraph.sidecar.store.StoreBusyException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;

/**
 * The OTLP/HTTP receiver: Claude Code's (and other CLIs') OpenTelemetry logs, metrics and traces, in
 * {@code application/json} or {@code application/x-protobuf}, optionally gzip-compressed.
 * <pre>
 * export CLAUDE_CODE_ENABLE_TELEMETRY=1 OTEL_LOGS_EXPORTER=otlp OTEL_METRICS_EXPORTER=otlp \
 *        OTEL_EXPORTER_OTLP_PROTOCOL=http/json OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:8080
 * curl -H 'Content-Type: application/json' -d @logs.json http://127.0.0.1:8080/v1/logs
 * </pre>
 * Answers as the OTLP/HTTP specification says: 200 with an {@code Export*ServiceResponse} in the request's encoding
 * (with {@code partial_success} when some records were rejected); 400 with a {@code google.rpc.Status} for a body
 * that cannot be decoded (nothing stored; the JSON form also carries our {@code error}/{@code detail}); 413/415 as the
 * other ingest routes.
 */
final class OtlpService implements HttpService {
    private static final String PROTOBUF = "application/x-protobuf";
    /** google.rpc.Code INVALID_ARGUMENT. */
    private static final int INVALID_ARGUMENT = 3;
    /**
     * OTLP bodies are decoded whole: at most this many bytes (decompressed) each, and at most {@link #IN_FLIGHT}
     * at a time, so that decoding stays within the sidecar's small heap. Exporters' default batches (512 records,
     * well under 1 MiB) fit.
     */
    static final long MAX_OTLP_BYTES = 2 * 1024 * 1024;
    private static final int IN_FLIGHT = 2;

    private final OtlpIngestor ingestor;
    private final long maxBodyBytes;
    private final RequestBodies bodies;
    private final IngestRoutes routes;
    private final Semaphore decoding = new Semaphore(IN_FLIGHT, true);

    OtlpService(OtlpIngestor ingestor, long maxBodyBytes, RequestBodies bodies, IngestRoutes routes) {
        this.ingestor = ingestor;
        this.maxBodyBytes = Math.min(maxBodyBytes, MAX_OTLP_BYTES);
        this.bodies = bodies;
        this.routes = routes;
    }

    @Override
    public void routing(HttpRules rules) {
        routes.post(rules, "/v1/logs", IngestSource.OTLP, handler((body, json) -> {
            OtlpIngestor.Result r = ingestor.logs(body, json);
            ExportLogsServiceResponse.Builder answer = ExportLogsServiceResponse.newBuilder();
            if (r.rejected() > 0) {
                answer.setPartialSuccess(ExportLogsPartialSuccess.newBuilder().setRejectedLogRecords(r.rejected())
                        .setErrorMessage(r.errorMessage()));
            }
            return new Answer(r, answer.build());
        }));
        routes.post(rules, "/v1/metrics", IngestSource.OTLP, handler((body, json) -> {
            OtlpIngestor.Result r = ingestor.metrics(body, json);
            ExportMetricsServiceResponse.Builder answer = ExportMetricsServiceResponse.newBuilder();
            if (r.rejected() > 0) {
                answer.setPartialSuccess(ExportMetricsPartialSuccess.newBuilder().setRejectedDataPoints(r.rejected())
                        .setErrorMessage(r.errorMessage()));
            }
            return new Answer(r, answer.build());
        }));
        routes.post(rules, "/v1/traces", IngestSource.OTLP, handler((body, json) -> {
            OtlpIngestor.Result r = ingestor.traces(body, json);
            ExportTraceServiceResponse.Builder answer = ExportTraceServiceResponse.newBuilder();
            if (r.rejected() > 0) {
                answer.setPartialSuccess(ExportTracePartialSuccess.newBuilder().setRejectedSpans(r.rejected())
                        .setErrorMessage(r.errorMessage()));
            }
            return new Answer(r, answer.build());
        }));
    }

    /** Decodes and stores one export; a body that cannot be decoded is a {@link Refusal}, answered in its encoding. */
    private IngestRoutes.IngestHandler handler(Export export) {
        return (req, res) -> {
            boolean asJson = isJson(req);
            Answer answer;
            acquire();
            try {
                answer = export.apply(body(req), asJson);
            } catch (BadInputException e) {
                throw new Refusal(e, asJson);
            } finally {
                decoding.release();
            }
            send(res, asJson, answer.response());
            return answer.result().items();
        };
    }

    /** A decoding slot; 503 (retry later, as OTLP exporters do) when none frees up in time. */
    private void acquire() {
        try {
            if (!decoding.tryAcquire(10, TimeUnit.SECONDS)) {
                throw new StoreBusyException("too many OTLP requests at once; retry shortly");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreBusyException("interrupted while waiting to decode");
        }
    }

    /** JSON or protobuf by Content-Type; anything else is 415. */
    private static boolean isJson(ServerRequest req) {
        Optional<HttpMediaType> type = RequestBodies.contentType(req);
        String name = type.map(t -> t.mediaType().text().toLowerCase(Locale.ROOT)).orElse("");
        return switch (name) {
            case "application/json" -> true;
            case PROTOBUF, "application/protobuf" -> false;
            default -> throw new ApiException(Status.UNSUPPORTED_MEDIA_TYPE_415, ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "OTLP/HTTP takes 'Content-Type: application/json' or 'application/x-protobuf', not '"
                    + type.map(HttpMediaType::text).orElse("(none)") + "'");
        };
    }

    /** The body, decompressed; past the size limit, compressed or not, 413. */
    private byte[] body(ServerRequest req) {
        boolean gzip = req.headers().first(HeaderNames.CONTENT_ENCODING).map(e -> e.contains("gzip")).orElse(false);
        return bodies.read(req, maxBodyBytes, "the body is larger than " + maxBodyBytes + " bytes"
                + (gzip ? " once decompressed" : "")
                + " (OTLP bodies: at most 2 MiB or HTMLGRAPH_MAX_BODY_BYTES; send smaller batches)",
                ErrorCode.INVALID_OTLP);
    }

    private static void send(ServerResponse res, boolean asJson, Message response) {
        try {
            if (asJson) {
                res.headers().contentType(MediaTypes.APPLICATION_JSON);
                res.send(JsonFormat.printer().omittingInsignificantWhitespace().print(response));
            } else {
                res.headers().set(HeaderNames.CONTENT_TYPE, PROTOBUF);
                res.send(response.toByteArray());
            }
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    /** 400 with a {@code google.rpc.Status} (code INVALID_ARGUMENT, the reason), in the request's encoding. */
    static void badRequest(ServerResponse res, Json json, Refusal refusal) {
        BadInputException e = refusal.input();
        res.status(Status.BAD_REQUEST_400);
        if (refusal.asJson()) {
            res.headers().contentType(MediaTypes.APPLICATION_JSON);
            res.send(json.bytes(new RpcStatus(INVALID_ARGUMENT, e.getMessage(), e.error().code(), e.getMessage())));
            return;
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            CodedOutputStream coded = CodedOutputStream.newInstance(out);
            coded.writeInt32(1, INVALID_ARGUMENT);
            coded.writeString(2, e.getMessage());
            coded.flush();
            res.headers().set(HeaderNames.CONTENT_TYPE, PROTOBUF);
            res.send(out.toByteArray());
        } catch (IOException io) {
            throw new UncheckedIOException(io);
        }
    }

    /** One export: decode, map, store; returns the counts and the response message. */
    private interface Export {
        Answer apply(byte[] body, boolean json);
    }

    private record Answer(OtlpIngestor.Result result, Message response) {
    }

    /** An OTLP body that cannot be decoded: answered by the error handler in the encoding it came in. */
    static final class Refusal extends RuntimeException {
        private final boolean asJson;

        Refusal(BadInputException input, boolean asJson) {
            super(input.getMessage(), input);
            this.asJson = asJson;
        }

        BadInputException input() {
            return (BadInputException) getCause();
        }

        boolean asJson() {
            return asJson;
        }
    }

    /** google.rpc.Status in JSON ({@code code}, {@code message}) with our error fields beside it. */
    private record RpcStatus(int code, String message, String error, String detail) {
    }
}
