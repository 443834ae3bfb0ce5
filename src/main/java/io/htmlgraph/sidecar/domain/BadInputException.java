package io.htmlgraph.sidecar.domain;

/**
 * Input that cannot be accepted: malformed, wrongly typed, missing a required field, or contradicting what the store
 * holds. Nothing of it is stored; it is answered 400 with its code.
 */
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
    public BadInputException inElement(int index) {
        return new BadInputException(error, "element " + index + ": " + getMessage());
    }
}
