package io.htmlgraph.sidecar.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.htmlgraph.sidecar.Hooks;

/**
 * Load program for the live stream (not a test): connects N WebSocket clients, then posts prompts at a steady rate,
 * each carrying its send time, and measures how long each takes to reach each client. The figure is send → receipt,
 * so it holds the ingest request and the commit as well as commit → client. Only a prompt's first message counts:
 * the next prompt of the session interrupts its turn, and that change reaches the clients again a send interval later.
 * Between sends the producer sleeps, so that it leaves the server both cores. The first {@link #WARMUP_SECONDS} of
 * sends are not counted.
 * <pre>
 * java -cp ... io.htmlgraph.sidecar.bench.LiveLoad http://127.0.0.1:8080 100 200 10
 * </pre>
 * Arguments: base URL, clients, events per second, seconds.
 */
public final class LiveLoad {
    private static final int WARMUP_SECONDS = 3;
    private static final Pattern SENT = Pattern.compile("\"input_summary\":\"live (\\d+)\"");

    private LiveLoad() {
    }

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        int clients = Integer.parseInt(args[1]);
        int rate = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        long[] latencies = new long[clients * rate * seconds + clients * 1000];
        AtomicInteger received = new AtomicInteger();
        AtomicInteger ready = new AtomicInteger();
        AtomicLong measuredFrom = new AtomicLong(Long.MAX_VALUE);
        List<WebSocket> sockets = new ArrayList<>();
        try (HttpClient http = HttpClient.newHttpClient();
             KeepAliveConnection producer = new KeepAliveConnection(base.getHost(), base.getPort())) {
            URI ws = URI.create("ws://" + base.getAuthority() + "/ws/events");
            for (int i = 0; i < clients; i++) {
                Listener listener = new Listener(latencies, received, ready, measuredFrom);
                sockets.add(http.newWebSocketBuilder().buildAsync(ws, listener).get(10, TimeUnit.SECONDS));
            }
            while (ready.get() < clients) {
                Thread.sleep(10);
            }
            long interval = 1_000_000_000L / rate;
            long next = System.nanoTime();
            int warmup = rate * WARMUP_SECONDS;
            int sent = rate * seconds;
            for (int i = 0; i < warmup + sent; i++) {
                next += interval;
                LockSupport.parkNanos(next - System.nanoTime());
                long now = System.nanoTime();
                if (i == warmup) {
                    measuredFrom.set(now);
                }
                producer.post("/api/hooks", Hooks.prompt("live-bench", "live " + now).getBytes(StandardCharsets.UTF_8));
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (received.get() < sent * clients && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            long[] all = Arrays.copyOf(latencies, Math.min(received.get(), latencies.length));
            Arrays.sort(all);
            System.out.printf("clients=%d rate=%d/s events=%d deliveries=%d of %d  send->client latency ms"
                              + " p50=%.2f p99=%.2f p99.9=%.2f max=%.2f%n", clients, rate, sent, received.get(),
                    sent * clients, pct(all, 50), pct(all, 99), pct(all, 99.9), pct(all, 100));
            sockets.forEach(WebSocket::abort);
        }
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.max(0, (int) Math.ceil(p / 100 * sorted.length) - 1)] / 1e6;
    }

    /** Records, for every prompt message, the time since its send time (messages may arrive in parts). */
    private static final class Listener implements WebSocket.Listener {
        private final long[] latencies;
        private final AtomicInteger received;
        private final AtomicInteger ready;
        private final AtomicLong measuredFrom;
        private final StringBuilder partial = new StringBuilder();
        /** The newest send time recorded: a message about an older prompt is that prompt's turn changing. */
        private long newest;

        Listener(long[] latencies, AtomicInteger received, AtomicInteger ready, AtomicLong measuredFrom) {
            this.latencies = latencies;
            this.received = received;
            this.ready = ready;
            this.measuredFrom = measuredFrom;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                record(partial.toString(), System.nanoTime());
                partial.setLength(0);
            }
            socket.request(1);
            return null;
        }

        private void record(String text, long now) {
            if (text.startsWith("{\"type\":\"ready\"")) {
                ready.incrementAndGet();
                return;
            }
            Matcher m = SENT.matcher(text);
            if (!m.find()) {
                return;
            }
            long sent = Long.parseLong(m.group(1));
            if (sent <= newest) {
                return;
            }
            newest = sent;
            if (sent < measuredFrom.get()) {
                return; // a warm-up send
            }
            int i = received.getAndIncrement();
            if (i < latencies.length) {
                latencies[i] = now - sent;
            }
        }
    }
}
