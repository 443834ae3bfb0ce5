package io.htmlgraph.sidecar.web;

import io.helidon.http.Status;
import io.htmlgraph.sidecar.domain.ErrorCode;

/** A request the API refuses, with the status and the {@code {"error","detail"}} body to answer. */
public final class ApiException extends RuntimeException {
    private final Status status;
    private final ErrorCode error;

    public ApiException(Status status, ErrorCode error, String detail) {
        super(detail);
        this.status = status;
        this.error = error;
    }

    public Status status() {
        return status;
    }

    public ErrorCode error() {
        return error;
    }
}
