package io.htmlgraph.sidecar.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import io.htmlgraph.sidecar.Hooks;
import io.htmlgraph.sidecar.Sidecar;
import io.htmlgraph.sidecar.config.SidecarConfig;

/**
 * Retention on a large store (not a test): generates {@code rows} event rows over the last 30 days, starts a
 * sidecar on them with {@code HTMLGRAPH_RETENTION=15d}, prunes while one client sends hook events one at a time
 * (about 200 events per second, BENCH_RATE), and prints the batch times (how long each held the writer, waiting
 * included), the ingest latencies meanwhile, and the file size before and after.
 * <pre>
 * java -cp ... io.htmlgraph.sidecar.bench.RetentionBench target/bench-retention.db 300000
 * </pre>
 */
public final class RetentionBench {
    private RetentionBench() {
    }

    public static void main(String[] args) throws Exception {
        Path db = Path.of(args[0]);
        Files.deleteIfExists(db);
        LargeDb.main(new String[] {db.toString(), args[1]});
        long before = Files.size(db);
        try (Sidecar sidecar = Sidecar.start(SidecarConfig.withOverrides(Map.of("db", db.toString(), "port", "0",
                "admin.port", "0", "admin.host", "127.0.0.1", "retention", "15d")));
             HttpClient http = HttpClient.newHttpClient()) {
            AtomicBoolean done = new AtomicBoolean();
            List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
            long pauseNanos = 1_000_000_000L / Integer.parseInt(System.getenv().getOrDefault("BENCH_RATE", "200"));
            Thread client = Thread.ofPlatform().start(() -> {
                for (int i = 0; !done.get(); i++) {
                    LockSupport.parkNanos(pauseNanos);
                    HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sidecar.port()
                            + "/api/hooks")).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(Hooks.prompt("bench-live", "p" + i))).build();
                    long t0 = System.nanoTime();
                    try {
                        http.send(post, HttpResponse.BodyHandlers.discarding());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    latencies.add((System.nanoTime() - t0) / 1e6);
                }
            });
            long t0 = System.nanoTime();
            long pruned = sidecar.upkeep().runNow();
            double seconds = (System.nanoTime() - t0) / 1e9;
            done.set(true);
            client.join();
            List<Long> batches = new ArrayList<>(sidecar.upkeep().lastRunBatchMillis());
            Collections.sort(batches);
            List<Double> ingest = new ArrayList<>(latencies);
            Collections.sort(ingest);
            System.out.printf("pruned %d rows in %.1f s (pruning, roll-ups and incremental vacuum)%n", pruned, seconds);
            System.out.printf("batches: %d, writer held per batch p50 %d ms, p99 %d ms, max %d ms%n", batches.size(),
                    batches.get(batches.size() / 2), batches.get(batches.size() * 99 / 100), batches.getLast());
            List<Long> vacuum = new ArrayList<>(sidecar.upkeep().lastVacuumStepMillis());
            Collections.sort(vacuum);
            if (!vacuum.isEmpty()) {
                System.out.printf("incremental vacuum steps: %d, p50 %d ms, p99 %d ms, max %d ms%n", vacuum.size(),
                        vacuum.get(vacuum.size() / 2), vacuum.get(vacuum.size() * 99 / 100), vacuum.getLast());
            }
            System.out.printf("single-event ingest meanwhile: %d requests, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    ingest.size(), ingest.get(ingest.size() / 2), ingest.get(ingest.size() * 99 / 100),
                    ingest.getLast());
        }
        System.out.printf("file: %.1f MB before, %.1f MB after%n", before / 1e6, Files.size(db) / 1e6);
    }
}
