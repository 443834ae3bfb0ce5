package io.htmlgraph.sidecar.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load programs' engine: each of N keep-alive connections sends its next request as soon as the previous one
 * is answered, until the time is up; the latencies of all requests are then merged for percentiles.
 */
final class ClosedLoop {
    private static final int MAX_SAMPLES = 4_000_000;

    private ClosedLoop() {
    }

    /** One request on a connection; returns the status code. Each connection gets its own. */
    interface Request {
        int send(KeepAliveConnection http) throws IOException;
    }

    /** Makes the request sender of one connection (so that each can keep its own state). */
    interface Requests {
        Request forConnection(int connection);
    }

    static Result run(URI target, int connections, Duration duration, Requests requests) throws InterruptedException {
        long deadline = System.nanoTime() + duration.toNanos();
        List<long[]> samples = new ArrayList<>();
        long[] counts = new long[connections];
        AtomicLong errors = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        long started = System.nanoTime();
        for (int c = 0; c < connections; c++) {
            long[] mine = new long[MAX_SAMPLES / connections];
            samples.add(mine);
            int connection = c;
            Request request = requests.forConnection(c);
            workers.add(Thread.ofPlatform().start(() -> {
                try (KeepAliveConnection http = new KeepAliveConnection(target.getHost(), target.getPort())) {
                    long n = 0;
                    while (System.nanoTime() < deadline) {
                        long t0 = System.nanoTime();
                        if (request.send(http) != 200) {
                            errors.incrementAndGet();
                        }
                        if (n < mine.length) {
                            mine[(int) n] = System.nanoTime() - t0;
                        }
                        n++;
                    }
                    counts[connection] = n;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
        }
        for (Thread t : workers) {
            t.join();
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        long total = Arrays.stream(counts).sum();
        long[] all = new long[(int) Math.min(total, MAX_SAMPLES)];
        int at = 0;
        for (int c = 0; c < connections; c++) {
            int n = (int) Math.min(counts[c], samples.get(c).length);
            System.arraycopy(samples.get(c), 0, all, at, n);
            at += n;
        }
        long[] sorted = Arrays.copyOf(all, at);
        Arrays.sort(sorted);
        return new Result(total, errors.get(), elapsed, sorted);
    }

    /** What a run measured; latencies sorted, in nanoseconds. */
    record Result(long requests, long errors, double seconds, long[] latencies) {
        double perSecond() {
            return requests / seconds;
        }

        /** The p-th percentile latency in milliseconds (p = 100 gives the maximum). */
        double ms(double p) {
            if (latencies.length == 0) {
                return 0;
            }
            int index = (int) Math.min(latencies.length - 1, Math.ceil(p / 100.0 * latencies.length) - 1);
            return latencies[Math.max(0, index)] / 1e6;
        }
    }
}
