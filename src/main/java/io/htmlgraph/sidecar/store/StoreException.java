package io.htmlgraph.sidecar.store;

/** The store cannot do what was asked (unusable file, schema from the future, write failure). */
public final class StoreException extends RuntimeException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
