package io.htmlgraph.sidecar.web;

import java.nio.charset.StandardCharsets;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import io.htmlgraph.sidecar.domain.ErrorCode;

/**
 * Answers the errors Helidon produces itself, before any route runs (a bad URI or escape, a request line or headers
 * too long, an unknown method or version), with the same {@code {"error","detail"}} body as every other error. The
 * detail is fixed per status: the request that failed to parse is not echoed back.
 */
final class JsonDirectHandler implements DirectHandler {
    /** Handlers for every kind of event Helidon answers directly. */
    static DirectHandlers all() {
        DirectHandlers.Builder builder = DirectHandlers.builder();
        JsonDirectHandler handler = new JsonDirectHandler();
        for (EventType type : EventType.values()) {
            builder.addHandler(type, handler);
        }
        return builder.build();
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status status,
                                    ServerResponseHeaders headers, String message) {
        String body = "{\"error\":\"" + code(status).code() + "\",\"detail\":\"" + detail(status) + "\"}";
        headers.set(HeaderNames.CONTENT_TYPE, "application/json");
        headers.set(NoSniff.HEADER);
        return TransportResponse.builder().status(status).headers(headers).keepAlive(eventType.keepAlive())
                .entity(body.getBytes(StandardCharsets.UTF_8)).build();
    }

    private static ErrorCode code(Status status) {
        return switch (status.code()) {
            case 400 -> ErrorCode.BAD_REQUEST;
            case 403 -> ErrorCode.FORBIDDEN;
            case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
            case 414 -> ErrorCode.URI_TOO_LONG;
            case 431 -> ErrorCode.HEADERS_TOO_LARGE;
            case 501 -> ErrorCode.NOT_IMPLEMENTED;
            case 505 -> ErrorCode.HTTP_VERSION_NOT_SUPPORTED;
            case 503 -> ErrorCode.UNAVAILABLE;
            default -> status.code() >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.BAD_REQUEST;
        };
    }

    private static String detail(Status status) {
        return switch (status.code()) {
            case 400 -> "the request could not be parsed (request line, URI escape, header or host)";
            case 413 -> "the request body is too large";
            case 414 -> "the request line is too long";
            case 431 -> "the request headers are too large";
            case 501 -> "this method or transfer coding is not implemented";
            case 505 -> "this HTTP version is not supported";
            default -> status.reasonPhrase();
        };
    }
}
