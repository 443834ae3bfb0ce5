package io.htmlgraph.sidecar.ingest;

import io.htmlgraph.sidecar.domain.ErrorCode;

/** Input that cannot be accepted: malformed, wrongly typed or missing a required field. Nothing of it is stored. */
public final class BadInputException extends RuntimeException {
    private final ErrorCode error;

    public BadInputException(ErrorCode error, String detail) {
        super(detail);
        this.error = error;
    }

    /** A short machine-readable code, e.g. {@code malformed_json}, {@code missing_field}. */
    public ErrorCode error() {
        return error;
    }

    /** The same problem, said of one element of a batch. */
    BadInputException inElement(int index) {
        return new BadInputException(error, "element " + index + ": " + getMessage());
    }
}
