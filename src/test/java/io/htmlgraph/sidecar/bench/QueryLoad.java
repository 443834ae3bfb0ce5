package io.htmlgraph.sidecar.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load program for the read routes (not a test): for each route given, sends GETs over keep-alive connections for a
 * while and prints requests/s and latency percentiles.
 * <pre>
 * java -cp ... io.htmlgraph.sidecar.bench.QueryLoad http://127.0.0.1:8080 4 10 /api/events /api/initial-stats
 * </pre>
 * Arguments: base URL, connections, seconds per route, then the paths (with their query strings).
 */
public final class QueryLoad {
    private QueryLoad() {
    }

    public static void main(String[] args) throws InterruptedException {
        URI base = URI.create(args[0]);
        int connections = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        for (String path : Arrays.copyOfRange(args, 3, args.length)) {
            run(base, path, connections, 1, false);
            run(base, path, connections, seconds, true);
        }
    }

    private static void run(URI base, String path, int connections, int seconds, boolean print)
            throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        List<long[]> samples = new ArrayList<>();
        long[] counts = new long[connections];
        AtomicLong errors = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        long started = System.nanoTime();
        for (int w = 0; w < connections; w++) {
            long[] mine = new long[2_000_000 / connections];
            samples.add(mine);
            int worker = w;
            workers.add(Thread.ofPlatform().start(() -> {
                try (KeepAliveConnection http = new KeepAliveConnection(base.getHost(), base.getPort())) {
                    long n = 0;
                    while (System.nanoTime() < deadline) {
                        long t0 = System.nanoTime();
                        if (http.get(path) != 200) {
                            errors.incrementAndGet();
                        }
                        if (n < mine.length) {
                            mine[(int) n] = System.nanoTime() - t0;
                        }
                        n++;
                    }
                    counts[worker] = n;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
        }
        for (Thread t : workers) {
            t.join();
        }
        if (!print) {
            return;
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        long total = Arrays.stream(counts).sum();
        long[] all = new long[(int) Math.min(total, 2_000_000)];
        int at = 0;
        for (int w = 0; w < connections; w++) {
            int n = (int) Math.min(counts[w], samples.get(w).length);
            System.arraycopy(samples.get(w), 0, all, at, n);
            at += n;
        }
        Arrays.sort(all, 0, at);
        System.out.printf("%-60s connections=%d requests=%d errors=%d  %,.0f req/s  latency ms p50=%.2f p99=%.2f"
                          + " max=%.2f%n", path, connections, total, errors.get(), total / elapsed,
                at == 0 ? 0 : all[at / 2] / 1e6, at == 0 ? 0 : all[Math.max(0, (int) Math.ceil(at * 0.99) - 1)] / 1e6,
                at == 0 ? 0 : all[at - 1] / 1e6);
    }
}
