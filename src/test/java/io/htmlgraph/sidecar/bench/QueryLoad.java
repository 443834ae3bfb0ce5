package io.htmlgraph.sidecar.bench;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;

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
        ConnectionLoad.Result r = ConnectionLoad.run(base, connections, Duration.ofSeconds(seconds),
                                                     connection -> http -> http.get(path));
        if (print) {
            System.out.printf("%-60s connections=%d requests=%d errors=%d  %,.0f req/s  latency ms p50=%.2f"
                              + " p99=%.2f max=%.2f%n", path, connections, r.requests(), r.errors(), r.perSecond(),
                    r.ms(50), r.ms(99), r.ms(100));
        }
    }
}
