package io.htmlgraph.sidecar.web;

import java.util.logging.Level;
import java.util.logging.Logger;

import io.helidon.http.BadRequestException;
import io.helidon.http.NotFoundException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.htmlgraph.sidecar.domain.ErrorCode;
import io.htmlgraph.sidecar.domain.BadInputException;
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

    /** The status a failure is answered with, as JSON here and as HTML by {@link ViewErrors}. */
    static Status status(RuntimeException e) {
        return switch (e) {
            case ApiException api -> api.status();
            case BadInputException bad -> Status.BAD_REQUEST_400;
            case OtlpService.Refusal otlp -> Status.BAD_REQUEST_400;
            case BadRequestException bad -> Status.BAD_REQUEST_400;
            case StoreBusyException busy -> Status.SERVICE_UNAVAILABLE_503;
            case StoreFaultException fault -> Status.SERVICE_UNAVAILABLE_503;
            default -> Status.INTERNAL_SERVER_ERROR_500;
        };
    }

    /** What a client is told of a failure: never the text of an unexpected one (that goes to the log). */
    static String detail(RuntimeException e) {
        return status(e) == Status.INTERNAL_SERVER_ERROR_500
                ? "the sidecar failed to handle this request; see its log" : e.getMessage();
    }

    /**
     * Sets the status, and {@code Retry-After} on a 503 (5 s on a store fault, else 1 s: the writer or the sidecar is
     * merely busy); logs
     * an unexpected failure with its stack trace.
     */
    static Status answer(ServerRequest req, ServerResponse res, RuntimeException e) {
        Status status = status(e);
        if (status == Status.INTERNAL_SERVER_ERROR_500) {
            LOG.log(Level.SEVERE, "request failed: " + req.prologue().method() + " "
                                  + req.requestedUri().path().path(), e);
        } else if (status == Status.SERVICE_UNAVAILABLE_503) {
            res.header("Retry-After", e instanceof StoreFaultException ? "5" : "1");
        }
        res.status(status);
        return status;
    }

    /** The answer to a request no route takes. */
    static void notFound(ServerRequest req, ServerResponse res, Json json) {
        json.error(res, Status.NOT_FOUND_404, ErrorCode.NOT_FOUND,
                   "no route for " + req.prologue().method().text() + " " + req.requestedUri().path().path());
    }

    static void register(HttpRouting.Builder routing, Json json) {
        routing.error(OtlpService.Refusal.class, (req, res, e) -> OtlpService.badRequest(res, json, e))
                .error(NotFoundException.class, (req, res, e) -> notFound(req, res, json))
                .error(RuntimeException.class,
                       (req, res, e) -> json.error(res, answer(req, res, e), code(e), detail(e)))
                .error(Exception.class, (req, res, e) -> {
                    LOG.log(Level.SEVERE, "request failed: " + req.prologue().method() + " "
                                          + req.requestedUri().path().path(), e);
                    json.error(res, Status.INTERNAL_SERVER_ERROR_500, ErrorCode.INTERNAL_ERROR,
                               "the sidecar failed to handle this request; see its log");
                });
    }
}
