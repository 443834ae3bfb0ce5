package io.htmlgraph.sidecar.live;

import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.helidon.websocket.WsUpgradeException;

/**
 * One WebSocket client: a bounded queue the hub fills, and a virtual thread that alone writes to the socket (so
 * frames never interleave). Dropping it stops that thread and closes the session with the reason.
 */
final class LiveClient implements WsListener {
    private static final Object PING = new Object();

    private final LiveHub hub;
    private final Access access;
    private final BlockingQueue<Object> queue;
    private volatile WsSession session;
    private volatile Thread sender;
    private volatile String dropReason;
    private volatile int closeCode = WsCloseCodes.VIOLATED_POLICY;
    private final AtomicBoolean placeTaken = new AtomicBoolean();
    private Long since;
    /** The last sequence number of this client's backlog: the hub's fan-out skips what it already has. */
    private long backlogEnd;

    LiveClient(LiveHub hub, Access access, int capacity) {
        this.hub = hub;
        this.access = access;
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) throws WsUpgradeException {
        access.check(headers);
        Optional<String> cursor = prologue.query().first("since").asOptional();
        if (cursor.isPresent()) {
            try {
                since = Long.parseLong(cursor.get());
            } catch (NumberFormatException e) {
                throw new WsUpgradeException("'since' must be a sequence number");
            }
        }
        // last: a refused upgrade gets no onClose, so a place taken before a refusal would never come back
        if (!hub.reservePlace(access.maxClients())) {
            throw new WsUpgradeException("the live stream has " + access.maxClients() + " clients, its limit"
                                         + " (HTMLGRAPH_WS_MAX_CLIENTS)");
        }
        placeTaken.set(true);
        return Optional.empty();
    }

    @Override
    public void onOpen(WsSession session) {
        this.session = session;
        this.sender = Thread.ofVirtual().name("ws-sender").start(this::sendLoop);
        hub.join(this);
    }

    @Override
    public void onClose(WsSession session, int status, String reason) {
        stop();
    }

    @Override
    public void onError(WsSession session, Throwable t) {
        stop();
    }

    Long since() {
        return since;
    }

    long backlogEnd() {
        return backlogEnd;
    }

    void backlogEnd(long sequence) {
        backlogEnd = sequence;
    }

    /** Messages waiting in the queue. */
    int pending() {
        return queue.size();
    }

    /** Queues a message; false when the queue is full. */
    boolean offer(String json) {
        return queue.offer(json);
    }

    /** Queues a ping unless the queue is full (then the client is busy anyway). */
    void ping() {
        queue.offer(PING);
    }

    /** Closes it with the reason; its place is free at once (a client told to reconnect may do so before its close). */
    void drop(String reason) {
        dropReason = reason;
        releasePlace();
        Thread t = sender;
        if (t != null) {
            t.interrupt();
        }
    }

    /** The hub could not serve it now: close with 1013 (try again later), which tells a client to reconnect. */
    void tryLater(String reason) {
        closeCode = WsCloseCodes.TRY_AGAIN_LATER;
        drop(reason);
    }

    /** The server stops: close with 1001 (going away), which tells a client to reconnect later. */
    void goingAway() {
        closeCode = WsCloseCodes.GOING_AWAY;
        drop("server shutting down");
    }

    private void stop() {
        releasePlace();
        hub.leave(this);
        Thread t = sender;
        if (t != null) {
            t.interrupt();
        }
    }

    private void releasePlace() {
        if (placeTaken.compareAndSet(true, false)) {
            hub.releasePlace();
        }
    }

    private void sendLoop() {
        try {
            while (dropReason == null) {
                Object message = queue.take();
                if (message == PING) {
                    session.ping(BufferData.empty());
                } else {
                    session.send((String) message, true);
                }
            }
            closeQuietly(dropReason);
        } catch (InterruptedException e) {
            if (dropReason != null) {
                closeQuietly(dropReason);
            }
        } catch (RuntimeException e) { // the connection is gone (a client that vanished without a close frame)
            stop();
            if (dropReason != null) {
                closeQuietly(dropReason);
            }
        }
    }

    /** Sends the close frame if the connection still takes writes (a stalled one may not). */
    private void closeQuietly(String reason) {
        try {
            session.close(closeCode, reason);
        } catch (RuntimeException alreadyGone) {
            // the connection is closed or unwritable: nothing more to tell the client
        }
    }
}
