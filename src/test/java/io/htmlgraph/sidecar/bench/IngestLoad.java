package io.htmlgraph.sidecar.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.Iterator;
import java.util.stream.Stream;

import io.htmlgraph.sidecar.Hooks;

/**
 * Load program for hook ingest (not a test): drives {@code POST /api/hooks} over keep-alive HTTP/1.1 connections
 * (one plain socket each, so the client costs little next to the server) with
 * realistic hook sequences (prompt, tool calls Pre/Post, failures, stop) across many sessions, and prints
 * events/s and request latency percentiles: as fast as the answers come, or with {@code --rate} at that many events
 * per second, sustained, each latency counted from the time its request was due ({@link ConnectionLoad}). The
 * warm-up runs as fast as the answers come, then with a rate 2 s more at that rate: the load program's own JIT
 * compiles its scheduled path there, not on the server's cores during the measured seconds (docs/performance.md).
 * <pre>
 * java -cp ... io.htmlgraph.sidecar.bench.IngestLoad --url http://127.0.0.1:8080 --seconds 10 --connections 4 --batch 1
 * java -cp ... io.htmlgraph.sidecar.bench.IngestLoad --connections 8 --rate 5000
 * </pre>
 */
public final class IngestLoad {
    private static final Duration PACED_WARMUP = Duration.ofSeconds(2);

    private final String url;
    private final int connections;
    private final int batch;
    private final Duration duration;
    private final double rate;

    private IngestLoad(String url, int connections, int batch, Duration duration, double rate) {
        this.url = url;
        this.connections = connections;
        this.batch = batch;
        this.duration = duration;
        this.rate = rate;
    }

    public static void main(String[] args) throws Exception {
        String url = option(args, "--url", "http://127.0.0.1:8080");
        int connections = Integer.parseInt(option(args, "--connections", "4"));
        int batch = Integer.parseInt(option(args, "--batch", "1"));
        int seconds = Integer.parseInt(option(args, "--seconds", "10"));
        int warmup = Integer.parseInt(option(args, "--warmup", "3"));
        double rate = Double.parseDouble(option(args, "--rate", "0")) / batch; // requests per second
        new IngestLoad(url, connections, batch, Duration.ofSeconds(warmup), 0).run("warmup");
        if (rate > 0) {
            new IngestLoad(url, connections, batch, PACED_WARMUP, rate).run("warmup");
        }
        new IngestLoad(url, connections, batch, Duration.ofSeconds(seconds), rate).run("measured");
    }

    private void run(String phase) throws InterruptedException {
        String prefix = phase + "-" + System.nanoTime();
        ConnectionLoad.Result r = ConnectionLoad.run(URI.create(url), connections, duration, rate, connection -> {
            Sequence events = new Sequence(prefix + "-" + connection);
            // At a rate, the bodies a connection will send are written before the clock starts, so that building them
            // takes no core from the server while it is measured.
            Iterator<byte[]> ready = rate > 0
                    ? Stream.generate(() -> body(events)).limit((long) Math.ceil(rate / connections
                            * duration.toNanos() / 1e9) + 1).toList().iterator()
                    : Collections.emptyIterator();
            return http -> http.post("/api/hooks", ready.hasNext() ? ready.next() : body(events));
        });
        String paced = rate > 0 ? String.format(" rate=%.0f", rate * batch) : "";
        System.out.printf("%-8s batch=%-4d connections=%d%s requests=%d events=%d errors=%d  %,.0f events/s  "
                          + "%,.0f req/s  latency ms p50=%.2f p99=%.2f p99.9=%.2f max=%.2f%n",
                phase, batch, connections, paced, r.requests(), r.requests() * batch, r.errors(),
                r.perSecond() * batch, r.perSecond(), r.ms(50), r.ms(99), r.ms(99.9), r.ms(100));
    }

    private byte[] body(Sequence events) {
        return (batch == 1 ? events.next() : events.batch(batch)).getBytes(StandardCharsets.UTF_8);
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    /** An endless, realistic hook stream: turns of a prompt, 8 tool calls (one failing) and a stop, per session. */
    static final class Sequence {
        private final String prefix;
        private long step;

        Sequence(String prefix) {
            this.prefix = prefix;
        }

        String next() {
            long turn = step / 18;
            int position = (int) (step % 18);
            step++;
            String session = prefix + "-s" + (turn / 20);
            String useId = prefix + "-tu" + turn + "-" + (position - 1) / 2;
            var input = Hooks.bash("mvn -q test -Dtest=Case" + turn);
            if (position == 0) {
                return Hooks.prompt(session, "Make test case " + turn + " pass");
            }
            if (position == 17) {
                return Hooks.stop(session, "Case " + turn + " passes now.");
            }
            if (position % 2 == 1) {
                return Hooks.pre(session, "Bash", useId, input).toString();
            }
            return position == 16 ? Hooks.failure(session, "Bash", useId, input, "Exit code 1").toString()
                    : Hooks.post(session, "Bash", useId, input, 120, "BUILD SUCCESS").toString();
        }

        String batch(int size) {
            StringBuilder body = new StringBuilder("[");
            for (int i = 0; i < size; i++) {
                body.append(i == 0 ? "" : ",").append(next());
            }
            return body.append(']').toString();
        }
    }
}
