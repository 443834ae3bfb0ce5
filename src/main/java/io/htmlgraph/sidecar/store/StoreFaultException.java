package io.htmlgraph.sidecar.store;

import java.util.Locale;
import java.util.Optional;

import io.htmlgraph.sidecar.domain.ErrorCode;
import org.sqlite.SQLiteException;

/**
 * The store cannot write for a reason outside the request: another process holds the write lock ({@code store_busy}),
 * the disk is full ({@code store_full}), or the database file is gone or unusable ({@code store_unavailable}). The
 * client should retry later (503 with Retry-After); nothing of the request was stored.
 */
public final class StoreFaultException extends RuntimeException {
    private final ErrorCode code;

    public StoreFaultException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The error code the client sees and the ingest-rejected metric counts. */
    public ErrorCode code() {
        return code;
    }

    /** The fault behind a failure, if it is one of the store's (SQLite's result code, else its message). */
    public static Optional<StoreFaultException> of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            ErrorCode code = t instanceof SQLiteException sqlite ? byResultCode(sqlite.getResultCode().code & 0xff)
                    : byMessage(String.valueOf(t.getMessage()).toUpperCase(Locale.ROOT));
            if (code != null) {
                return Optional.of(new StoreFaultException(code, describe(code), failure));
            }
        }
        return Optional.empty();
    }

    private static ErrorCode byResultCode(int primary) {
        return switch (primary) {
            case 5, 6 -> ErrorCode.STORE_BUSY;          // SQLITE_BUSY, SQLITE_LOCKED
            case 13 -> ErrorCode.STORE_FULL;          // SQLITE_FULL
            case 8, 10, 11, 14, 26 -> ErrorCode.STORE_UNAVAILABLE; // READONLY, IOERR, CORRUPT, CANTOPEN, NOTADB
            default -> null;
        };
    }

    private static ErrorCode byMessage(String message) {
        if (message.contains("SQLITE_BUSY") || message.contains("DATABASE IS LOCKED")) {
            return ErrorCode.STORE_BUSY;
        }
        if (message.contains("SQLITE_FULL") || message.contains("DISK IS FULL")) {
            return ErrorCode.STORE_FULL;
        }
        boolean unavailable = message.contains("SQLITE_IOERR") || message.contains("SQLITE_READONLY");
        return unavailable ? ErrorCode.STORE_UNAVAILABLE : null;
    }

    static String describe(ErrorCode code) {
        return switch (code) {
            case STORE_BUSY -> "another process holds the database's write lock; retry shortly";
            case STORE_FULL -> "the disk holding the database is full; nothing was stored, retry once space is free";
            default -> "the database cannot be written (deleted, replaced or failing); see the sidecar's log";
        };
    }
}
