package io.htmlgraph.sidecar.web;

import java.time.Duration;

import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.task.InterruptableTask;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.spi.ServerConnection;

/**
 * One HTTP/1 connection as {@link ConnectionGuard} sees it: since when it has been waiting for a request head (the
 * time it opened for its first request, the end of the request line for later ones), and whether it is idle between
 * requests, busy with one, or upgraded to a WebSocket. Helidon runs it; the guard only reads that state and, to make
 * room or past the head deadline, closes its socket.
 */
final class GuardedConnection implements ServerConnection, InterruptableTask<Void> {
    private final ServerConnection delegate;
    private final ConnectionContext ctx;
    private final Runnable onEnd;
    /** Nanos since which a request head has been arriving; 0 when none is (between requests, or in one). */
    private volatile long headSince;
    private volatile int requests;
    private volatile boolean upgraded;

    GuardedConnection(ServerConnection delegate, ConnectionContext ctx, long openedAt, Runnable onEnd) {
        this.delegate = delegate;
        this.ctx = ctx;
        this.onEnd = onEnd;
        this.headSince = openedAt;
    }

    @Override
    public void handle(Limit limit) throws InterruptedException {
        try {
            delegate.handle(limit);
        } finally {
            onEnd.run();
        }
    }

    @Override
    public Duration idleTime() {
        return delegate.idleTime();
    }

    @Override
    public void close(boolean interrupt) {
        delegate.close(interrupt);
    }

    @Override
    public boolean canInterrupt() {
        return delegate instanceof InterruptableTask<?> task && task.canInterrupt();
    }

    /** The request line arrived: on a kept-alive connection the head deadline runs from now. */
    void requestLineRead(long now) {
        if (requests > 0) {
            headSince = now;
        }
    }

    /** The headers are complete: no deadline until the next request line. */
    void headRead(boolean upgrade) {
        headSince = 0;
        requests++;
        upgraded |= upgrade;
    }

    /** Nanos since which a head has been arriving, or 0. */
    long headSince() {
        return headSince;
    }

    /** Waiting for its next request (Helidon reads the next request line), never a WebSocket. */
    boolean idleBetweenRequests() {
        return headSince == 0 && requests > 0 && !upgraded && canInterrupt();
    }

    ConnectionContext context() {
        return ctx;
    }

    /** Closes the socket under Helidon's reader, which then ends the connection and frees its slot. */
    void closeSocket() {
        try {
            ctx.serverSocket().close();
        } catch (RuntimeException e) {
            // already closed by the client or by Helidon: the slot is freed either way
        }
    }
}
