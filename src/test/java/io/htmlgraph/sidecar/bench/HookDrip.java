package io.htmlgraph.sidecar.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Background ingest for the read benchmarks (not a test): posts realistic hooks at a steady rate over one
 * keep-alive connection, so that reads are measured while agents work (every commit invalidates the query cache).
 * <pre>
 * java -cp ... io.htmlgraph.sidecar.bench.HookDrip http://127.0.0.1:8080 20 60
 * </pre>
 * Arguments: base URL, hooks per second, seconds. Prints how many were sent and how many failed, also when stopped.
 */
public final class HookDrip {
    private HookDrip() {
    }

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        int rate = Integer.parseInt(args[1]);
        long interval = 1_000_000_000L / rate;
        long end = System.nanoTime() + Long.parseLong(args[2]) * 1_000_000_000L;
        IngestLoad.Sequence hooks = new IngestLoad.Sequence("drip-" + System.nanoTime());
        AtomicLong sent = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.printf("hooks sent=%d failed=%d at %d/s%n",
                sent.get(), failed.get(), rate)));
        try (KeepAliveConnection http = new KeepAliveConnection(base.getHost(), base.getPort())) {
            for (long next = System.nanoTime(); next < end; next += interval) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                if (http.post("/api/hooks", hooks.next().getBytes(StandardCharsets.UTF_8)) != 200) {
                    failed.incrementAndGet();
                }
                sent.incrementAndGet();
            }
        }
    }
}
