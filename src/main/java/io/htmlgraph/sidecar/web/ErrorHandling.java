package io.htmlgraph.sidecar.web;

import java.util.logging.Level;
import java.util.logging.Logger;

import io.helidon.http.BadRequestException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.htmlgraph.sidecar.domain.ErrorCode;
import io.htmlgraph.sidecar.ingest.BadInputException;
import io.htmlgraph.sidecar.store.StoreBusyException;
import io.htmlgraph.sidecar.store.StoreFaultException;

/** Maps every failure to a JSON {@code {"error","detail"}} answer; clients never see a stack trace. */
final class ErrorHandling {
    private static final Logger LOG = Logger.getLogger(ErrorHandling.class.getName());

    private ErrorHandling() {
    }

    /** The {@code error} code a failure is answered with (also the {@code reason} label of rejected ingests). */
    static ErrorCode code(RuntimeException e) {
        return switch (e) {
            case ApiException api -> api.error();
            case BadInputException bad -> bad.error();
            case OtlpService.Refusal otlp -> otlp.input().error();
            case BadRequestException bad -> ErrorCode.BAD_REQUEST;
            case StoreBusyException busy -> ErrorCode.STORE_BUSY;
            case StoreFaultException fault -> fault.code();
            default -> ErrorCode.INTERNAL_ERROR;
        };
    }

    static void register(HttpRouting.Builder routing, Json json) {
        routing.error(ApiException.class, (req, res, e) -> json.error(res, e.status(), e.error(), e.getMessage()))
                .error(BadInputException.class,
                       (req, res, e) -> json.error(res, Status.BAD_REQUEST_400, e.error(), e.getMessage()))
                .error(OtlpService.Refusal.class, (req, res, e) -> OtlpService.badRequest(res, json, e))
                .error(BadRequestException.class,
                       (req, res, e) -> json.error(res, Status.BAD_REQUEST_400, ErrorCode.BAD_REQUEST, e.getMessage()))
                .error(StoreBusyException.class, (req, res, e) -> {
                    res.header("Retry-After", "1");
                    json.error(res, Status.SERVICE_UNAVAILABLE_503, ErrorCode.STORE_BUSY, e.getMessage());
                })
                .error(StoreFaultException.class, (req, res, e) -> {
                    res.header("Retry-After", "5");
                    json.error(res, Status.SERVICE_UNAVAILABLE_503, e.code(), e.getMessage());
                })
                .error(Exception.class, (req, res, e) -> {
                    LOG.log(Level.SEVERE, "request failed: " + req.prologue().method() + " "
                                          + req.requestedUri().path().path(), e);
                    json.error(res, Status.INTERNAL_SERVER_ERROR_500, ErrorCode.INTERNAL_ERROR,
                               "the sidecar failed to handle this request; see its log");
                });
    }
}
