package io.htmlgraph.sidecar.store;

/** A file to import cannot be used: missing, unreadable, or not an htmlgraph database (the message says which). */
public final class SourceFileException extends RuntimeException {
    public SourceFileException(String message) {
        super(message);
    }

    public SourceFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
