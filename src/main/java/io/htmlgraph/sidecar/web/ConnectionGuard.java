package io.htmlgraph.sidecar.web;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerConfig;
import io.helidon.webserver.ProtocolConfigs;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionListener;
import io.helidon.webserver.http1.Http1ConnectionProvider;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import io.helidon.webserver.websocket.WsConfig;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Keeps the main socket answering new clients whatever the others do (issue 13). Helidon 4.5 counts connections with
 * a semaphore taken before {@code accept}: once idle or half-sent connections hold every slot, a new client waits in
 * the backlog, and Helidon has no deadline for a request head, so a slowloris holds its slot for ever. Raising the
 * limit does not help: each connection costs about 20 KB of heap before its first byte (two 8 KB socket buffers and
 * the reader), so 5,000 of them do not fit the launcher's 64 MB heap.
 *
 * <p>So the guard wraps Helidon's HTTP/1 connections and
 * <ul>
 *   <li>at the connection limit, closes the connection that has waited longest for a request head (never sent one,
 *   or trickles it), else the one idle longest between requests, to make room for the new one — the way a web server
 *   drains reusable connections when it runs out; a request in progress and a WebSocket are never closed. With none
 *   to close, the new client gets a 503 and the socket closes;</li>
 *   <li>closes a connection whose request head (request line and headers) is not complete within the head timeout:
 *   counted from the connection's opening for its first request and from its request line for later ones (the wait
 *   for a later request line is the idle timeout's);</li>
 *   <li>closes a connection whose client sends nothing of a request body it has begun for the body timeout
 *   ({@code HTMLGRAPH_READ_TIMEOUT}, which Helidon 4.5 does not apply to server sockets): the routes read bodies
 *   through {@link #watchBody}, and a read blocked that long has its thread interrupted, which closes a virtual
 *   thread's socket under it. The time a handler spends between reads (waiting for the writer) does not count.
 *   Likewise a body that trickles in: once its reads have waited the body timeout in all, it must have averaged
 *   16 KB/s, else it is cut (a byte every few seconds never left a read waiting 10 s, and held its connection and
 *   the large-body budget, so that other large bodies got 503).</li>
 * </ul>
 */
public final class ConnectionGuard implements MeterBinder, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ConnectionGuard.class.getName());
    /** Connections accepted but not yet admitted or not yet gone: Helidon's own limit, a backstop above ours. */
    private static final int ACCEPT_HEADROOM = 64;
    private static final Duration FLOOD_EBBED = Duration.ofSeconds(2);
    /** How long a connection must have waited for a head, or idled, before it may be closed to make room. */
    private static final Duration EVICTABLE_AFTER = Duration.ofSeconds(2);
    /** Bytes a second a request body must average once its reads have waited the body timeout in all. */
    private static final long MIN_BODY_RATE = 16 * 1024;
    private static final String REFUSAL_BODY =
            "{\"error\":\"too_many_connections\",\"detail\":\"every connection is busy with a request; try again\"}";
    private static final byte[] REFUSAL = ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
            + "Retry-After: 1\r\nConnection: close\r\nContent-Length: " + REFUSAL_BODY.length() + "\r\n\r\n"
            + REFUSAL_BODY).getBytes(StandardCharsets.US_ASCII);

    private final int maxConnections;
    private final long headTimeoutNanos;
    private final long bodyTimeoutNanos;
    /** Body reads blocked in a read call now. */
    private final Set<WatchedBody> bodyReads = ConcurrentHashMap.newKeySet();
    private final AtomicLong silentBodies = new AtomicLong();
    private final AtomicLong slowBodies = new AtomicLong();
    private final Map<ConnectionContext, GuardedConnection> open = new ConcurrentHashMap<>();
    private final ScheduledExecutorService watchdog;
    /** Its periodic pass, once scheduled. */
    private volatile ScheduledFuture<?> task;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong evicted = new AtomicLong();
    private final AtomicLong lateHeads = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicInteger highWater = new AtomicInteger();
    private final long period;
    private long quietMillis;

    /**
     * A guard for at most {@code maxConnections} open connections, request heads of at most {@code headTimeout}, and
     * request bodies silent for at most {@code bodyTimeout}.
     */
    public ConnectionGuard(int maxConnections, Duration headTimeout, Duration bodyTimeout) {
        this.maxConnections = maxConnections;
        this.headTimeoutNanos = headTimeout.toNanos();
        this.bodyTimeoutNanos = bodyTimeout.toNanos();
        this.watchdog = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                .name("connection-guard").factory());
        this.period = Math.clamp(headTimeout.toMillis() / 4, 50, 500);
        task = watchdog.scheduleWithFixedDelay(this::watch, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Makes the listener's HTTP/1 connections (with the WebSocket upgrade) go through this guard: Helidon's HTTP/1
     * provider is created here, with a listener for request heads, instead of being discovered.
     */
    public void install(ListenerConfig.BuilderBase<?, ?> listener) {
        WsConfig ws = WsConfig.create();
        Http1Config http1 = Http1Config.builder().addReceiveListener(new HeadListener()).build();
        @SuppressWarnings("unchecked")
        ServerConnectionSelector http = new Http1ConnectionProvider()
                .create(listener.name(), http1, ProtocolConfigs.create(List.of(http1, ws)));
        listener.protocolsDiscoverServices(false)
                .protocols(List.of(ws)) // no HTTP/1 config left: the discovered provider adds no second selector
                .addConnectionSelector(new Selector(http))
                .maxTcpConnections(maxConnections + ACCEPT_HEADROOM)
                // stream sockets: one 8 KB buffer per connection instead of NIO's two; measured under a flood of
                // 5,000 connections: peak RSS 117-118 MB instead of 130-133 MB
                .useNio(false);
    }

    /** What a platform team watches under a flood: connections held, accepted, refused and closed by the guard. */
    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("htmlgraph.connections.open", open, Map::size)
                .description("Connections open on the main socket").register(registry);
        FunctionCounter.builder("htmlgraph.connections.accepted", accepted, AtomicLong::get)
                .description("Connections accepted on the main socket, refused ones included").register(registry);
        FunctionCounter.builder("htmlgraph.connections.refused", refused, AtomicLong::get)
                .description("Connections answered 503 at HTMLGRAPH_MAX_CONNECTIONS with none that could close")
                .register(registry);
        FunctionCounter.builder("htmlgraph.connections.closed", evicted, AtomicLong::get).tag("reason", "evicted")
                .description("Connections the guard closed: to make room at the limit (evicted), for a request"
                             + " head not complete within HTMLGRAPH_HEADER_TIMEOUT (head_timeout), for a body"
                             + " silent for HTMLGRAPH_READ_TIMEOUT (body_timeout), or for a body sent slower than"
                             + " 16 KB/s once its reads have waited that long (body_too_slow)")
                .register(registry);
        FunctionCounter.builder("htmlgraph.connections.closed", lateHeads, AtomicLong::get)
                .tag("reason", "head_timeout").register(registry);
        FunctionCounter.builder("htmlgraph.connections.closed", silentBodies, AtomicLong::get)
                .tag("reason", "body_timeout").register(registry);
        FunctionCounter.builder("htmlgraph.connections.closed", slowBodies, AtomicLong::get)
                .tag("reason", "body_too_slow").register(registry);
    }

    /** The request body as the route reads it, its connection closed when the client leaves a read waiting too long. */
    InputStream watchBody(InputStream body) {
        return new WatchedBody(body);
    }

    /** Whether its periodic pass still runs: an error thrown out of a pass (out of memory) ends it for good. */
    public boolean isRunning() {
        ScheduledFuture<?> pass = task;
        return pass != null && !pass.isDone();
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
    }

    private ServerConnection admit(ServerConnection connection, ConnectionContext ctx) {
        accepted.incrementAndGet();
        if (open.size() >= maxConnections && !evictOne()) {
            if (refused.incrementAndGet() % 1000 == 1) {
                LOG.info("at the connection limit (" + maxConnections + ") with none that may close: new connections"
                         + " get 503; " + refused.get() + " so far");
            }
            return new Refusal(ctx);
        }
        GuardedConnection guarded = new GuardedConnection(connection, ctx, System.nanoTime(), () -> open.remove(ctx));
        open.put(ctx, guarded);
        highWater.accumulateAndGet(open.size(), Math::max);
        return guarded;
    }

    /**
     * Closes the connection waiting longest for a head, else the one idle longest, if that has waited at least
     * {@link #EVICTABLE_AFTER}; false when none may go. A burst of new connections is refused rather than made to
     * evict its own members: each admitted connection's buffers outlive a young collection, and churning them grows
     * the heap.
     */
    private boolean evictOne() {
        long now = System.nanoTime();
        long mark = now - EVICTABLE_AFTER.toNanos();
        GuardedConnection oldestHead = null;
        GuardedConnection longestIdle = null;
        long longestIdleNanos = EVICTABLE_AFTER.toNanos();
        for (GuardedConnection c : open.values()) {
            long since = c.headSince();
            if (since != 0) {
                if (since - mark < 0 && (oldestHead == null || since - oldestHead.headSince() < 0)) {
                    oldestHead = c;
                }
            } else if (oldestHead == null && c.idleBetweenRequests()) {
                long idle = c.idleTime().toNanos();
                if (idle > longestIdleNanos) {
                    longestIdle = c;
                    longestIdleNanos = idle;
                }
            }
        }
        GuardedConnection victim = oldestHead != null ? oldestHead : longestIdle;
        if (victim == null) {
            return false;
        }
        if (open.remove(victim.context(), victim)) {
            victim.closeSocket();
        }
        if (evicted.incrementAndGet() % 1000 == 1) {
            LOG.info("at the connection limit (" + maxConnections + "): closing the connections idle or sending their"
                     + " request head the longest; " + evicted.get() + " so far");
        }
        return true;
    }

    private void watch() {
        closeLateHeads();
        cutSilentBodies();
        returnHeapAfterFlood();
    }

    private void cutSilentBodies() {
        long now = System.nanoTime();
        for (WatchedBody body : bodyReads) {
            switch (body.cutIfStalled(now)) {
                case SILENT -> silentBodies.incrementAndGet();
                case SLOW -> slowBodies.incrementAndGet();
                case NO -> { }
            }
        }
    }

    private enum Cut { NO, SILENT, SLOW }

    /**
     * Once a flood of connections (half the limit or more at once) has ebbed for {@link #FLOOD_EBBED}, one full
     * collection: the serial collector gives heap back to the OS only then, and the connections' buffers had grown it
     * (SPEC: RSS back under 128 MB after abuse). Ordinary traffic never gets near the mark.
     */
    private void returnHeapAfterFlood() {
        if (highWater.get() < maxConnections / 2 || open.size() > maxConnections / 8) {
            quietMillis = 0;
            return;
        }
        quietMillis += period;
        if (quietMillis >= FLOOD_EBBED.toMillis()) {
            highWater.set(open.size());
            quietMillis = 0;
            LOG.info("a flood of connections has ebbed: collecting the heap it grew");
            System.gc();
        }
    }

    private void closeLateHeads() {
        long now = System.nanoTime();
        for (GuardedConnection c : open.values()) {
            long since = c.headSince();
            if (since != 0 && now - since > headTimeoutNanos && open.remove(c.context(), c)) {
                c.closeSocket();
                lateHeads.incrementAndGet();
            }
        }
    }

    /**
     * A body whose read calls the watchdog sees: while one is blocked, since when and on which thread, and how many
     * bytes came in how long its reads waited (the time the route spends between reads does not count). Once cut,
     * the thread's interrupt (it closed the socket if the thread was blocked on it) is cleared when the read returns.
     */
    private final class WatchedBody extends FilterInputStream {
        private Thread reader;
        private long since;
        private boolean reading;
        private boolean cut;
        private long bytes;
        private long waitedNanos;

        WatchedBody(InputStream body) {
            super(body);
        }

        @Override
        public int read() throws IOException {
            begin();
            int b = -1;
            try {
                b = in.read();
                return b;
            } finally {
                end(b < 0 ? 0 : 1);
            }
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            begin();
            int n = 0;
            try {
                n = in.read(buffer, offset, length);
                return n;
            } finally {
                end(Math.max(n, 0));
            }
        }

        private void begin() {
            synchronized (this) {
                reader = Thread.currentThread();
                since = System.nanoTime();
                reading = true;
            }
            bodyReads.add(this);
        }

        private void end(int read) {
            bodyReads.remove(this);
            synchronized (this) {
                reading = false;
                bytes += read;
                waitedNanos += System.nanoTime() - since;
                if (cut) {
                    Thread.interrupted();
                }
            }
        }

        /**
         * Interrupts a blocked read when it has waited longer than the body timeout (silent), or when the body's
         * reads have waited that long in all and brought less than {@link #MIN_BODY_RATE} bytes a second (slow: a
         * trickle held a connection and the large-body budget for as long as it liked).
         */
        synchronized Cut cutIfStalled(long now) {
            if (!reading || cut) {
                return Cut.NO;
            }
            long waited = waitedNanos + (now - since);
            Cut why = now - since > bodyTimeoutNanos ? Cut.SILENT
                    : waited > bodyTimeoutNanos && bytes < MIN_BODY_RATE * waited / 1_000_000_000L ? Cut.SLOW
                    : Cut.NO;
            if (why != Cut.NO) {
                cut = true;
                reader.interrupt();
            }
            return why;
        }
    }

    /** Helidon's HTTP/1 selector with each connection admitted by the guard. */
    private final class Selector implements ServerConnectionSelector {
        private final ServerConnectionSelector http;

        Selector(ServerConnectionSelector http) {
            this.http = http;
        }

        @Override
        public int bytesToIdentifyConnection() {
            return http.bytesToIdentifyConnection();
        }

        @Override
        public Support supports(BufferData data) {
            return http.supports(data);
        }

        @Override
        public Set<String> supportedApplicationProtocols() {
            return http.supportedApplicationProtocols();
        }

        @Override
        public ServerConnection connection(ConnectionContext ctx) {
            return admit(http.connection(ctx), ctx);
        }
    }

    /** Tells each connection when its request line and its headers have arrived. */
    private final class HeadListener implements Http1ConnectionListener {
        @Override
        public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
            GuardedConnection c = open.get(ctx);
            if (c != null) {
                c.requestLineRead(System.nanoTime());
            }
        }

        @Override
        public void headers(ConnectionContext ctx, Headers headers) {
            GuardedConnection c = open.get(ctx);
            if (c != null) {
                c.headRead(headers.contains(HeaderNames.UPGRADE));
            }
        }
    }

    /** Past the limit with every connection busy: a 503 before the request, then the socket closes. */
    private record Refusal(ConnectionContext ctx) implements ServerConnection {
        @Override
        public void handle(Limit limit) {
            ctx.dataWriter().writeNow(BufferData.create(REFUSAL));
        }

        @Override
        public Duration idleTime() {
            return Duration.ZERO;
        }

        @Override
        public void close(boolean interrupt) {
            // nothing to stop: handle() writes once and returns
        }
    }
}
