package io.htmlgraph.sidecar.store;

/** The store cannot take more writes right now; the client should retry. */
public final class StoreBusyException extends RuntimeException {
    public StoreBusyException(String message) {
        super(message);
    }
}
