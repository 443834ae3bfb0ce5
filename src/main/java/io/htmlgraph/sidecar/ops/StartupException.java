package io.htmlgraph.sidecar.ops;

/** Why the sidecar cannot start, in one line a person can act on (which variable or file to change). */
public final class StartupException extends RuntimeException {
    public StartupException(String message) {
        super(message);
    }
}
