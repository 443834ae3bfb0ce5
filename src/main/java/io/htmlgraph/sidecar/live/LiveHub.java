package io.htmlgraph.sidecar.live;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.helidon.websocket.WsListener;
import io.htmlgraph.sidecar.domain.Change;
import io.htmlgraph.sidecar.query.ChangeQueries;

/**
 * The live hub. The writer tells it the last sequence number of each commit; its one thread then reads what
 * changed once, encodes each entry once, and hands it to every client's bounded queue, in sequence order. A client
 * that joins first gets its backlog (the latest entries, or everything after {@code ?since=}) from the same thread,
 * so nothing is lost or sent twice between backlog and live entries. A client whose queue is full is dropped.
 */
public final class LiveHub implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LiveHub.class.getName());
    private static final int PAGE = 1000;
    private static final Duration HEARTBEAT = Duration.ofSeconds(20);

    private final ChangeQueries changes;
    private final Messages messages;
    private final int backlog;
    /**
     * The latest entries as sent, by sequence number (an entry never changes under its number): every client joining
     * gets the same strings, not copies of its own — 100 clients joining at once held a backlog each, and clients
     * that vanish keep theirs until a send to them fails, which ran the 32 MB heap out of memory. Hub thread only.
     */
    private final Map<Long, String> encoded;
    private final int queueCapacity;
    private final BlockingQueue<Runnable> commands = new LinkedBlockingQueue<>();
    private final AtomicLong committed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong droppedMessages = new AtomicLong();
    private final AtomicInteger connected = new AtomicInteger();
    /** Clients connected or upgrading: checked at the upgrade, so that a burst of upgrades cannot pass the limit. */
    private final AtomicInteger places = new AtomicInteger();
    private final Set<LiveClient> clients = new LinkedHashSet<>();
    private final Thread thread;
    private volatile boolean running = true;
    /** Written by the hub's thread only; read by the pages that tell their WebSocket where to start. */
    private volatile long sent;

    /**
     * @param backlog       how many of the latest entries a new client gets
     * @param queueCapacity how many entries may wait for one client before it is dropped
     */
    public LiveHub(ChangeQueries changes, Messages messages, int backlog, int queueCapacity) {
        this.changes = changes;
        this.messages = messages;
        this.backlog = backlog;
        this.queueCapacity = queueCapacity;
        this.encoded = new LinkedHashMap<>(2 * backlog, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
                return size() > backlog + PAGE;
            }
        };
        this.sent = changes.latestSequence();
        this.committed.set(sent);
        this.thread = Thread.ofPlatform().name("live-hub").daemon(true).start(this::run);
    }

    /** Whether the hub's thread runs (readiness: live clients get what is committed). */
    public boolean isRunning() {
        return running && thread.isAlive();
    }

    /**
     * Called by the writer after each commit: everything up to {@code sequence} is durable. With no client connected
     * or joining, the hub's thread is not woken (a wake per commit was its CPU and a futex call on the writer): a
     * client that joins reads its backlog from the store, up to the last commit as it stands then.
     */
    public void committed(long sequence) {
        committed.accumulateAndGet(sequence, Math::max);
        if (places.get() > 0) {
            commands.offer(() -> { });
        }
    }

    /** Clients connected now. */
    public int connectedClients() {
        return connected.get();
    }

    /** Takes a place for a new client; false when {@code max} clients are connected or upgrading. */
    boolean reservePlace(int max) {
        return places.getAndUpdate(n -> n < max ? n + 1 : n) < max;
    }

    void releasePlace() {
        places.decrementAndGet();
    }

    /** Clients dropped since start because they could not keep up. */
    public long droppedClients() {
        return dropped.get();
    }

    /** Messages never delivered because their client was dropped: its queue, and the one that did not fit. */
    public long droppedMessages() {
        return droppedMessages.get();
    }

    /** The last sequence number sent to clients; with none connected, the last committed. */
    public long sentSequence() {
        return connected.get() > 0 ? sent : committed.get();
    }

    /** A listener for one new WebSocket connection ({@code /ws/events}). */
    public WsListener newClient(Access access) {
        return new LiveClient(this, access, queueCapacity);
    }

    void join(LiveClient client) {
        commands.offer(() -> admit(client));
    }

    void leave(LiveClient client) {
        commands.offer(() -> {
            if (clients.remove(client)) {
                connected.decrementAndGet();
            }
        });
    }

    private void run() {
        while (running) {
            try {
                Runnable command = commands.poll(HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
                if (command == null) {
                    clients.forEach(LiveClient::ping);
                    continue;
                }
                List<Runnable> steps = new ArrayList<>();
                steps.add(command);
                commands.drainTo(steps);
                steps.add(this::publish);
                steps.forEach(LiveHub::step);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One step on its own: a step that fails (a store read) loses neither the steps after it nor the hub. */
    private static void step(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "live hub step failed; a failed send is retried on the next commit", e);
        }
    }

    /**
     * Sends every committed entry not sent yet, page by page. The cursor only moves past entries actually read:
     * sequence numbers have gaps (rolled-back requests, rows changed again), so an empty read just ends this round.
     */
    private void publish() {
        long upto = committed.get();
        if (clients.isEmpty()) {
            sent = upto; // nobody to send to; a client that joins reads its backlog from the store
            return;
        }
        while (sent < upto) {
            List<Change> page = changes.after(sent, upto, PAGE);
            if (page.isEmpty()) {
                return;
            }
            for (Change change : page) {
                String json = encode(change);
                for (LiveClient client : List.copyOf(clients)) {
                    if (change.sequence() > client.backlogEnd() && !client.offer(json)) {
                        drop(client);
                    }
                }
            }
            sent = page.get(page.size() - 1).sequence();
        }
    }

    /**
     * Backlog first, up to everything committed (a client that connects right after a write finds it there, even
     * when the hub has not sent it yet), then the client joins the live fan-out, which skips what its backlog had.
     */
    private void admit(LiveClient client) {
        boolean joined;
        try {
            joined = sendBacklog(client);
        } catch (RuntimeException e) {
            client.tryLater("the live stream could not read its backlog; reconnect");
            throw e;
        }
        if (joined) {
            clients.add(client);
            connected.incrementAndGet();
        }
    }

    /** False when the backlog did not fit the client's queue (it is dropped). */
    private boolean sendBacklog(LiveClient client) {
        if (clients.isEmpty()) {
            sent = Math.max(sent, committed.get()); // nobody was sent what committed while no client was connected
        }
        long upto = Math.max(sent, committed.get());
        List<Change> initial;
        Long since = client.since();
        if (since == null) {
            initial = changes.latest(upto, backlog);
        } else if (changes.countAfter(since, upto) > queueCapacity - 2) {
            client.offer(messages.resync(since, upto));
            initial = changes.latest(upto, backlog);
        } else {
            initial = new ArrayList<>();
            for (long after = since; after < upto; ) {
                List<Change> page = changes.after(after, upto, PAGE);
                if (page.isEmpty()) {
                    break;
                }
                initial.addAll(page);
                after = page.get(page.size() - 1).sequence();
            }
        }
        for (Change change : initial) {
            if (!client.offer(encode(change))) {
                client.drop("backlog larger than the client queue");
                return false;
            }
        }
        client.offer(messages.ready(upto));
        client.backlogEnd(upto);
        return true;
    }

    private String encode(Change change) {
        return encoded.computeIfAbsent(change.sequence(), sequence -> messages.encode(change));
    }

    private void drop(LiveClient client) {
        clients.remove(client);
        connected.decrementAndGet();
        dropped.incrementAndGet();
        droppedMessages.addAndGet(client.pending() + 1L);
        client.drop("client too slow: more than " + queueCapacity + " messages waiting");
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(1000); // the hub's thread owns the client set: let it stop before it is read here
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List.copyOf(clients).forEach(LiveClient::goingAway);
    }
}
