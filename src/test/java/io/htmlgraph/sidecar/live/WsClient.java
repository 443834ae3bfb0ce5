package io.htmlgraph.sidecar.live;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.management.HotSpotDiagnosticMXBean;
import io.htmlgraph.sidecar.TestSidecar;

/** A real WebSocket client (the JDK's) collecting the messages of {@code /ws/events}, for tests. */
public final class WsClient implements WebSocket.Listener, AutoCloseable {
    private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private final HttpClient http = HttpClient.newHttpClient();
    private WebSocket socket;

    private WsClient() {
    }

    /** Connects and waits until the backlog is delivered ({@code ready}). */
    static WsClient connect(TestSidecar sidecar, String query) throws Exception {
        WsClient client = open(sidecar, query, null);
        client.awaitReady();
        return client;
    }

    /**
     * Connects to the server at {@code base} (the {@code http://} URI of a {@code @ServerTest}) and returns the
     * backlog up to and including {@code ready}.
     */
    public static List<JsonNode> backlog(URI base, String query) throws Exception {
        try (WsClient client = open(URI.create(base.toString().replaceFirst("/$", "") + "/ws/events" + query), null)) {
            return client.awaitReady();
        }
    }

    static WsClient open(TestSidecar sidecar, String query, String origin) throws Exception {
        return open(sidecar.uri("/ws/events" + query), origin);
    }

    private static WsClient open(URI uri, String origin) throws Exception {
        WsClient client = new WsClient();
        WebSocket.Builder builder = client.http.newWebSocketBuilder();
        if (origin != null) {
            builder.header("Origin", origin);
        }
        client.socket = builder.buildAsync(URI.create(uri.toString().replaceFirst("^http", "ws")), client)
                .get(5, TimeUnit.SECONDS);
        return client;
    }

    /** Takes everything as it comes (the queue is unbounded): no demand to renew per message. */
    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                messages.add(TestSidecar.JSON.readTree(partial.toString()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            partial.setLength(0);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode + " " + reason);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete("error " + error);
    }

    /**
     * The next message, waiting up to 15 s: a message is due at once, but CI at a load average of 9 has stalled a
     * wait past 5 s (twice in about fifty runs; never here); a message lost for good still fails.
     */
    JsonNode next() throws InterruptedException {
        return next(0);
    }

    private JsonNode next(int received) throws InterruptedException {
        JsonNode message = messages.poll(15, TimeUnit.SECONDS);
        if (message == null) {
            throw new AssertionError("no message within 15 s after " + received + " messages"
                    + (closed.isDone() ? "; the socket closed: " + closed.getNow(null) : "; the socket is open")
                    + threadDump());
        }
        return message;
    }

    /** Messages up to and including the first that {@code stop} accepts. */
    List<JsonNode> until(java.util.function.Predicate<JsonNode> stop) throws InterruptedException {
        List<JsonNode> seen = new ArrayList<>();
        JsonNode message;
        do {
            message = next(seen.size());
            seen.add(message);
        } while (!stop.test(message));
        return seen;
    }

    /**
     * Writes every thread of this JVM, virtual ones included (the server's WebSocket senders run in it), to a file
     * under {@code target/}, for a wait that timed out (seen in full suites on CI; not reproduced alone), and names
     * where the live stream's threads and the client's were: CI keeps only the failure's line, not the file.
     */
    private static String threadDump() {
        Path file = Path.of("target", "ws-timeout-threads-" + System.nanoTime() + ".txt").toAbsolutePath();
        try {
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.TEXT_PLAIN);
            String streamThreads = Stream.of(Files.readString(file).split("\n\\s*\n"))
                    .filter(t -> t.contains("\"live-hub\"") || t.contains("\"ws-sender\"")
                                 || t.contains("WsClient.on"))
                    .map(WsClient::whereItIs)
                    .collect(Collectors.joining("; "));
            return "; threads: " + file + ": " + streamThreads;
        } catch (IOException | RuntimeException e) {
            return "; no thread dump: " + e;
        }
    }

    /** A thread of the dump as its name, its state and the first frame outside the JDK. */
    private static String whereItIs(String thread) {
        List<String> lines = thread.strip().lines().map(String::strip).toList();
        String head = lines.get(0).replaceFirst(" \\S+Z$", ""); // without the dump's timestamp
        return head + " " + lines.stream().filter(l -> l.startsWith("at ") && !l.startsWith("at java.base/"))
                .findFirst().orElse(lines.size() > 1 ? lines.get(1) : "?");
    }

    List<JsonNode> awaitReady() throws InterruptedException {
        return until(m -> "ready".equals(m.get("type").asText()));
    }

    CompletableFuture<String> closed() {
        return closed;
    }

    @Override
    public void close() {
        socket.abort();
        http.close();
    }
}
