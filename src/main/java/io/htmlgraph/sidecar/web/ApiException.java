package io.htmlgraph.sidecar.web;

import io.helidon.http.Status;

/** A request the API refuses, with the status and the {@code {"error","detail"}} body to answer. */
public final class ApiException extends RuntimeException {
    private final Status status;
    private final String error;

    public ApiException(Status status, String error, String detail) {
        super(detail);
        this.status = status;
        this.error = error;
    }

    public Status status() {
        return status;
    }

    public String error() {
        return error;
    }
}
