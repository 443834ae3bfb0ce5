package io.htmlgraph.sidecar.domain;

import java.util.Locale;

/**
 * The {@code error} codes of {@code {"error","detail"}} answers, in one place: the error handler answers with them and
 * the ingest metrics count refusals by them ({@code htmlgraph_ingest_rejected_total{reason}}), so a code can be
 * neither misspelt nor left out of the metric. Those an ingest request can be refused with are registered at 0 from
 * the start ({@link #ingest()}).
 */
public enum ErrorCode {
    MALFORMED_JSON(true),
    EMPTY_BODY(true),
    INVALID_EVENT(true),
    INVALID_FIELD(true),
    MISSING_FIELD(true),
    TOO_MANY_EVENTS(true),
    PAYLOAD_TOO_LARGE(true),
    UNSUPPORTED_MEDIA_TYPE(true),
    UNAUTHORIZED(true),
    BAD_REQUEST(true),
    STORE_BUSY(true),
    INTERNAL_ERROR(true),
    INVALID_OTLP(true),
    HOST_NOT_ALLOWED(true),
    STORE_FULL(true),
    STORE_UNAVAILABLE(true),
    PAYLOAD_TOO_DEEP(true),
    /** Large bodies wait for heap in turn (web's LargeBodies); this one waited too long. */
    SERVER_BUSY(true),
    /** OTLP: an attribute of the wrong type or size, or a required one missing; a point that is not a number. */
    INVALID_ATTRIBUTE(false),
    MISSING_ATTRIBUTE(false),
    INVALID_VALUE(false),
    /** Reads and the dashboard. */
    NOT_FOUND(false),
    INVALID_PARAMETER(false),
    FORBIDDEN_ORIGIN(false),
    MALFORMED_FORM(false),
    /** {@code POST /admin/backup}. */
    BAD_NAME(false),
    EXISTS(false),
    /** Refused by the HTTP server itself, before any route (see web's JsonDirectHandler). */
    FORBIDDEN(false),
    URI_TOO_LONG(false),
    HEADERS_TOO_LARGE(false),
    NOT_IMPLEMENTED(false),
    HTTP_VERSION_NOT_SUPPORTED(false),
    UNAVAILABLE(false);

    private final boolean ingest;

    ErrorCode(boolean ingest) {
        this.ingest = ingest;
    }

    /** The code as answers spell it, e.g. {@code malformed_json}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the ingest metrics register this reason before it first happens. */
    public boolean ingest() {
        return ingest;
    }

    @Override
    public String toString() {
        return code();
    }
}
