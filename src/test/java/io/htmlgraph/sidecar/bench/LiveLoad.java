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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.htmlgraph.sidecar.Hooks;

/**
 * Load program for the live stream (not a test): connects N WebSocket clients, then posts prompts at a steady rate,
 * each carrying its send time, and measures how long each takes to reach each client. The figure is send → receipt,
 * so it holds the ingest request and the commit as well as commit → client.
 * <pre>
 * java -cp ... io.htmlgraph.sidecar.bench.LiveLoad http://127.0.0.1:8080 100 200 10
 * </pre>
 * Arguments: base URL, clients, events per second, seconds.
 */
public final class LiveLoad {
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
        List<WebSocket> sockets = new ArrayList<>();
        try (HttpClient http = HttpClient.newHttpClient();
             KeepAliveConnection producer = new KeepAliveConnection(base.getHost(), base.getPort())) {
            URI ws = URI.create("ws://" + base.getAuthority() + "/ws/events");
            for (int i = 0; i < clients; i++) {
                sockets.add(http.newWebSocketBuilder().buildAsync(ws, new Listener(latencies, received, ready))
                        .get(10, TimeUnit.SECONDS));
            }
            while (ready.get() < clients) {
                Thread.sleep(10);
            }
            long interval = 1_000_000_000L / rate;
            long next = System.nanoTime();
            int sent = 0;
            for (; sent < rate * seconds; sent++) {
                next += interval;
                while (System.nanoTime() < next) {
                    Thread.onSpinWait();
                }
                producer.post("/api/hooks", Hooks.prompt("live-bench", "live " + System.nanoTime())
                        .getBytes(StandardCharsets.UTF_8));
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
        private final StringBuilder partial = new StringBuilder();

        Listener(long[] latencies, AtomicInteger received, AtomicInteger ready) {
            this.latencies = latencies;
            this.received = received;
            this.ready = ready;
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
            if (m.find()) {
                int i = received.getAndIncrement();
                if (i < latencies.length) {
                    latencies[i] = now - Long.parseLong(m.group(1));
                }
            }
        }
    }
}
