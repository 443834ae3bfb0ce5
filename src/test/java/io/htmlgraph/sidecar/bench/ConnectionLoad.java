package io.htmlgraph.sidecar.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The load programs' engine: N keep-alive connections, opened before the clock starts, send requests until the time
 * is up; the latencies of all requests are then merged for percentiles.
 * <p>
 * By default each connection sends its next request as soon as the previous one is answered (a closed loop: the
 * server's pace sets the rate, and a latency counts from the moment the request left). At a given rate instead
 * (requests per second over all connections), each connection sends on a fixed schedule, the connections'
 * schedules staggered evenly, and a latency counts from the time the request was due: a request that waited behind
 * a slow answer is charged that wait too, so a stall counts once for every request it delayed, as wrk2 measures,
 * rather than being hidden by the load generator slowing down. When the server cannot keep up, the requests fall
 * behind their schedule and the run's rate stays below the one asked for.
 */
final class ConnectionLoad {
    private static final int MAX_SAMPLES = 4_000_000;

    private ConnectionLoad() {
    }

    /** One request on a connection; returns the status code. Each connection gets its own. */
    interface Request {
        int send(KeepAliveConnection http) throws IOException;
    }

    /** Makes the request sender of one connection (so that each can keep its own state). */
    interface Requests {
        Request forConnection(int connection);
    }

    /** A closed loop: each connection sends as soon as its previous request is answered. */
    static Result run(URI target, int connections, Duration duration, Requests requests) throws InterruptedException {
        return run(target, connections, duration, 0, requests);
    }

    /** At {@code rate} requests per second over all connections, or as a closed loop when it is 0. */
    static Result run(URI target, int connections, Duration duration, double rate, Requests requests)
            throws InterruptedException {
        long interval = rate > 0 ? Math.round(connections * 1e9 / rate) : 0;
        List<long[]> samples = new ArrayList<>();
        long[] counts = new long[connections];
        AtomicLong errors = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        CountDownLatch connected = new CountDownLatch(connections);
        CountDownLatch go = new CountDownLatch(1);
        long[] clock = new long[2]; // start and deadline, written before go opens
        for (int c = 0; c < connections; c++) {
            long[] mine = new long[MAX_SAMPLES / connections];
            samples.add(mine);
            int connection = c;
            Request request = requests.forConnection(c);
            workers.add(Thread.ofPlatform().start(() -> {
                boolean counted = false;
                try (KeepAliveConnection http = new KeepAliveConnection(target.getHost(), target.getPort())) {
                    connected.countDown();
                    counted = true;
                    go.await();
                    long due = clock[0] + interval * connection / connections;
                    long n = 0;
                    while (System.nanoTime() < clock[1]) {
                        long t0 = System.nanoTime();
                        if (interval > 0) {
                            if (due > t0) {
                                LockSupport.parkNanos(due - t0);
                            }
                            t0 = due;
                            due += interval;
                        }
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
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    if (!counted) {
                        connected.countDown(); // a connection that failed to open does not hold the others back
                    }
                }
            }));
        }
        connected.await();
        long started = System.nanoTime();
        clock[0] = started;
        clock[1] = started + duration.toNanos();
        go.countDown();
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
