package io.htmlgraph.sidecar.web;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.htmlgraph.sidecar.bench.IdleConnections;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A sidecar in its own JVM with the launcher's memory options takes 5,000 idle connections and a slowloris: it stays
 * up (no OutOfMemoryError); once the burst is absorbed, health and NEW clients of {@code /api/events} are answered
 * within 100 ms while the idle connections are still open (the guard closes the ones that waited longest); the
 * slowloris loses its connection; RSS stays under the 128 MB cap, and is back under it once the clients are gone.
 */
class ConnectionFloodTest {
    private static final Pattern OPTIONS = Pattern.compile("SIDECAR_JAVA_OPTS:-\"([^\"]+)\"");
    private static final Pattern ARENAS = Pattern.compile("MALLOC_ARENA_MAX:-(\\d+)");
    private static final Pattern STARTED = Pattern.compile("Claude Code hooks\\s+POST http://[^:]+:(\\d+)/api/hooks");
    private static final Pattern METRICS = Pattern.compile("http://[^\\s:/]+:(\\d+)/metrics");
    private static final int IDLE = 5000;
    private static final long RSS_CAP_KB = 128 * 1024;
    /** The guard collects the heap 2 s after a flood has ebbed (checked every 0.5 s); a margin on top. */
    private static final long SETTLE_MILLIS = 4000;
    /** How long a held connection must have waited before the guard closes it to make room for a new one. */
    private static final long EVICTABLE_MILLIS = 2000;
    /**
     * When the guard has closed a connection whose request head is still incomplete: the default
     * {@code HTMLGRAPH_HEADER_TIMEOUT} (10 s), its check every 0.5 s, and a margin.
     */
    private static final long HEAD_CUT_MILLIS = 10_000 + 500 + 1000;
    private static final Pattern ACCEPTED = Pattern.compile("(?m)^htmlgraph_connections_accepted_total (\\S+)$");

    @Test
    void fiveThousandIdleConnectionsAndASlowloris_neitherKillNorBloatTheSidecar() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "reads RSS from /proc");
        Path db = Files.createTempDirectory("flood").resolve("flood.db");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(launcherOptions());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.htmlgraph.sidecar.Main"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(Map.of("HTMLGRAPH_DB", db.toString(), "HTMLGRAPH_PORT", "0",
                "HTMLGRAPH_ADMIN_PORT", "0", "HTMLGRAPH_ADMIN_HOST", "127.0.0.1", "HTMLGRAPH_IDLE_TIMEOUT", "5s",
                "MALLOC_ARENA_MAX", launcherArenas()));
        Process sidecar = builder.start();
        List<SocketChannel> idle = new ArrayList<>();
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            int[] ports = ports(sidecar);
            URI api = URI.create("http://127.0.0.1:" + ports[0] + "/api/events?limit=5");
            URI ready = URI.create("http://127.0.0.1:" + ports[1] + "/health/ready");
            assertThat(answer(http, api).status(), is(200));
            long slowlorisSince = System.nanoTime();
            Socket slowloris = slowloris(ports[0]);
            for (int i = 0; i < IDLE; i++) {
                SocketChannel channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.connect(new InetSocketAddress("127.0.0.1", ports[0]));
                idle.add(channel);
            }
            // every flood connection is open (or already refused): no SYN left to retry
            IdleConnections.Connects connects = IdleConnections.established(idle);
            assertThat("flood connections still connecting", connects.pending(), is(0));
            // the burst is absorbed: the kernel holds no connection of it for the sidecar to accept, the sidecar's
            // own count has stopped growing, and those it holds have waited long enough to be closed for a new
            // client; until then a new client may be refused with 503, as a burst's own members are
            long accepted = awaitAbsorbed(http, URI.create("http://127.0.0.1:" + ports[1] + "/metrics"), ports[0]);
            System.out.printf("flood: %d of %d connections connected, %d accepted by the sidecar%n",
                              connects.connected(), IDLE, accepted - 2);
            Thread.sleep(EVICTABLE_MILLIS + 500);
            List<Long> health = new ArrayList<>();
            List<Long> fresh = new ArrayList<>();
            long peakRss = 0;
            for (int i = 0; i < 20; i++) {
                Thread.sleep(250);
                trickle(slowloris, i);
                Timed probe = answer(http, ready);
                assertThat(probe.body(), probe.status(), is(200));
                health.add(probe.millis());
                Timed client = newClient(ports[0]);
                assertThat(client.body(), client.status(), is(200));
                fresh.add(client.millis());
                peakRss = Math.max(peakRss, rssKb(sidecar.pid()));
            }
            assertThat(sidecar.isAlive(), is(true));
            health.sort(null);
            fresh.sort(null);
            System.out.printf("flood: %d idle connections + slowloris: health p95 %d ms (worst %d), new /api/events"
                              + " clients p95 %d ms (worst %d), peak RSS %d MB%n", IDLE, health.get(18),
                              health.getLast(), fresh.get(18), fresh.getLast(), peakRss / 1024);
            // the 95th percentile of 20 probes: one stall of this shared 2-core machine's scheduler is not the sidecar
            assertThat(health.get(18), lessThan(100L));
            assertThat(fresh.get(18), lessThan(100L));
            assertThat(peakRss, lessThan(RSS_CAP_KB));
            // cut by its head's deadline if not evicted before: on a fast run the probes end before that deadline
            long sinceMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - slowlorisSince);
            slowloris.setSoTimeout((int) Math.max(1000, HEAD_CUT_MILLIS - sinceMillis));
            assertThat("the slowloris still holds a connection", slowloris.getInputStream().read(), is(-1));
            System.out.printf("the slowloris lost its connection %d ms after it opened it (checked from %d ms on)%n",
                              TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - slowlorisSince), sinceMillis);

            for (SocketChannel channel : idle) {
                channel.close();
            }
            slowloris.close();
            Thread.sleep(SETTLE_MILLIS);
            long rssAfter = rssKb(sidecar.pid());
            Timed after = answer(http, api);
            for (int i = 0; i < 5; i++) {
                after = new Timed(after.status(), Math.min(after.millis(), answer(http, api).millis()), after.body());
            }
            System.out.printf("after the flood: API %d ms, RSS %d MB%n", after.millis(), rssAfter / 1024);
            assertThat(after.status(), is(200));
            assertThat(after.millis(), lessThan(100L));
            assertThat(rssAfter, lessThan(RSS_CAP_KB));
        } finally {
            for (SocketChannel channel : idle) {
                channel.close();
            }
            sidecar.destroyForcibly();
            sidecar.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Waits until the flood is off the kernel's queues for the main port (no handshake half done, nothing waiting to be
     * accepted) and the sidecar's count of accepted connections has stopped; returns that count. It may be below the
     * number of connections the clients think open: while the accept queue was full, the kernel dropped their last
     * handshake packet, and gave up on some of those before the sidecar could take them (the client never learns, as
     * it sends nothing).
     */
    private static long awaitAbsorbed(HttpClient http, URI metrics, int port) throws Exception {
        long accepted = -1;
        int kernelQueued = -1;
        String scrape = "";
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90); System.nanoTime() < deadline; ) {
            scrape = answer(http, metrics).body();
            Matcher m = ACCEPTED.matcher(scrape);
            assertThat("htmlgraph_connections_accepted_total in the scrape", m.find(), is(true));
            long now = (long) Double.parseDouble(m.group(1));
            int queued = kernelQueued(port);
            if (queued == 0 && kernelQueued == 0 && now == accepted) {
                return accepted;
            }
            accepted = now;
            kernelQueued = queued;
            Thread.sleep(250);
        }
        throw new AssertionError("after 90 s the kernel still holds " + kernelQueued + " connections for the sidecar,"
                                 + " which accepted " + accepted + "; its connection metrics:\n"
                                 + scrape.lines().filter(l -> l.startsWith("htmlgraph_connections"))
                                         .collect(Collectors.joining("\n")));
    }

    /** Connections on {@code port} the kernel holds for the listener: half-open (SYN_RECV) and waiting in accept. */
    private static int kernelQueued(int port) throws IOException {
        String local = String.format(":%04X ", port);
        int queued = 0;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 5 || !(f[1] + " ").endsWith(local)) {
                    continue;
                }
                if (f[3].equals("03")) { // SYN_RECV
                    queued++;
                } else if (f[3].equals("0A")) { // LISTEN: rx_queue is the accept queue's length
                    queued += Integer.parseInt(f[4].substring(f[4].indexOf(':') + 1), 16);
                }
            }
        }
        return queued;
    }

    /** A header line more; the sidecar may have closed the connection already. */
    private static void trickle(Socket slowloris, int i) {
        try {
            slowloris.getOutputStream().write(("X-Slow-" + i + ": a\r\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException closed) {
            // cut off: asserted at the end
        }
    }

    /** A client on a connection of its own: one request, {@code Connection: close}, the whole answer read. */
    private static Timed newClient(int port) throws IOException {
        long started = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(("GET /api/events?limit=5 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] answer = socket.getInputStream().readAllBytes();
            String head = new String(answer, 0, Math.min(answer.length, 12), StandardCharsets.US_ASCII);
            int status = head.length() == 12 ? Integer.parseInt(head.substring(9, 12)) : -1;
            return new Timed(status, (System.nanoTime() - started) / 1_000_000,
                             new String(answer, StandardCharsets.UTF_8));
        }
    }

    /** An answer's status, time and body (a readiness answer names the check that is down). */
    private record Timed(int status, long millis, String body) {
    }

    private static Timed answer(HttpClient http, URI uri) throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                                                  HttpResponse.BodyHandlers.ofString());
        return new Timed(response.statusCode(), (System.nanoTime() - started) / 1_000_000, response.body());
    }

    private static Socket slowloris(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        OutputStream out = socket.getOutputStream();
        out.write("GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    /** The shipped launcher's JVM options (the sidecar script), without its class-data-sharing archive. */
    private static List<String> launcherOptions() throws IOException {
        Matcher m = OPTIONS.matcher(Files.readString(Path.of("sidecar")));
        assertThat(m.find(), is(true));
        return Arrays.stream(m.group(1).split("\\s+")).filter(o -> !o.contains("SharedArchive") && !o.contains("cds"))
                .toList();
    }

    /** The launcher's glibc arena limit (the sidecar script exports it). */
    private static String launcherArenas() throws IOException {
        Matcher m = ARENAS.matcher(Files.readString(Path.of("sidecar")));
        assertThat(m.find(), is(true));
        return m.group(1);
    }

    private static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }

    /** The main and admin ports the child logs when it has started. */
    private static int[] ports(Process sidecar) throws IOException {
        BufferedReader log = new BufferedReader(new InputStreamReader(sidecar.getInputStream()));
        int[] ports = new int[2];
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = log.readLine()) != null) {
            seen.append(line).append('\n');
            Matcher started = STARTED.matcher(line);
            Matcher metrics = METRICS.matcher(line);
            if (started.find()) {
                ports[0] = Integer.parseInt(started.group(1));
            } else if (metrics.find()) {
                ports[1] = Integer.parseInt(metrics.group(1));
                Thread.ofVirtual().start(() -> log.lines().forEach(l -> { }));
                return ports;
            }
        }
        throw new AssertionError("the sidecar did not start:\n" + seen);
    }
}
