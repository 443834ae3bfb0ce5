package io.htmlgraph.sidecar;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.htmlgraph.sidecar.config.SidecarConfig;
import io.htmlgraph.sidecar.store.ReadPool;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * A real sidecar for a test: its own SQLite file in a temp dir, both sockets on free ports, an HTTP client, and
 * read-only SQL on the database file to check the stored rows.
 */
public final class TestSidecar implements AutoCloseable {
    public static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Sidecar sidecar;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private TestSidecar(Path dir, Sidecar sidecar) {
        this.dir = dir;
        this.sidecar = sidecar;
    }

    public static TestSidecar start() {
        return start(Map.of());
    }

    /** Starts with config overrides (keys without the {@code htmlgraph.} prefix). */
    public static TestSidecar start(Map<String, String> overrides) {
        try {
            return start(Files.createTempDirectory("sidecar-test"), overrides);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts again on the database of an earlier (closed) test sidecar. */
    public static TestSidecar reopen(Path db) {
        return reopen(db, Map.of());
    }

    /** Starts again on the database of an earlier (closed) test sidecar, with config overrides (e.g. its port). */
    public static TestSidecar reopen(Path db, Map<String, String> overrides) {
        return start(db.getParent(), overrides);
    }

    private static TestSidecar start(Path dir, Map<String, String> overrides) {
        Map<String, String> config = new HashMap<>(Map.of("db", dir.resolve("test.db").toString(), "port", "0",
                                                          "admin.port", "0", "admin.host", "127.0.0.1"));
        config.putAll(overrides);
        return new TestSidecar(dir, Sidecar.start(SidecarConfig.withOverrides(config)));
    }

    /** The sidecar itself (its upkeep, its metrics). */
    public Sidecar sidecar() {
        return sidecar;
    }

    public Path db() {
        return dir.resolve("test.db");
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + sidecar.port() + path);
    }

    public URI adminUri(String path) {
        return URI.create("http://127.0.0.1:" + sidecar.adminPort() + path);
    }

    /** POSTs a JSON body to the main socket. */
    public Response post(String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length == 0) {
            request.header("Content-Type", "application/json");
        } else {
            request.headers(headers);
        }
        return send(request.build());
    }

    /** POSTs hook payloads one request each, as Claude Code does; each must be accepted. */
    public void hooks(String... payloads) {
        for (String payload : payloads) {
            Response response = post("/api/hooks", payload);
            if (response.status() != 200) {
                throw new AssertionError("hook refused: " + response + " for " + payload);
            }
        }
    }

    /** The running sidecar's read pool. */
    /**
     * Fills a read pool started with {@code read-threads=1, read-queue=1}: one read runs (until the returned latch is
     * counted down) and one waits, so the next uncached read is refused with 503 {@code store_busy}.
     */
    public CountDownLatch fillReadPool(ExecutorService callers) throws InterruptedException {
        ReadPool pool = readPool();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        callers.submit(() -> pool.run(() -> {
            running.countDown();
            try {
                return release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }));
        if (!running.await(5, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the first read did not start");
        }
        callers.submit(() -> pool.run(() -> "waiting"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (pool.waiting() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        return release;
    }

    public ReadPool readPool() {
        return sidecar.readPool();
    }

    public Response get(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build());
    }

    public Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), response.headers().map());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** How many events the store holds, as {@code GET /api/initial-stats} counts them. */
    public long storedEvents() {
        return get("/api/initial-stats").json().get("total_events").asLong();
    }

    /** How many sessions the store holds, as {@code GET /api/initial-stats} counts them. */
    public long storedSessions() {
        return get("/api/initial-stats").json().get("total_sessions").asLong();
    }

    /** Rows of a query on the database file, each a column → value map in select order. */
    public List<Map<String, Object>> rows(String sql) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Changes the database file behind the sidecar's back (to build states ingest never makes). */
    public void execute(String sql) {
        execute(db(), sql);
    }

    /** Runs one SQL statement on a database file directly, not through a sidecar. */
    public static void execute(Path db, String sql) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.setQueryTimeout(5);
            s.executeUpdate(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The single value of a one-row, one-column query. */
    public Object value(String sql) {
        List<Map<String, Object>> rows = rows(sql);
        if (rows.size() != 1) {
            throw new AssertionError("expected one row, got " + rows.size() + " for " + sql);
        }
        return rows.get(0).values().iterator().next();
    }

    /** Refreshes the metrics snapshot now (not on its schedule) and scrapes {@code /metrics} on the admin socket. */
    public String scrape() {
        sidecar.metrics().refresh();
        return scrapeAsIs();
    }

    /**
     * Scrapes until the text holds {@code expected} (at most 2 s): a request's time is recorded just after its answer
     * is sent, so a scrape right after the answer may not show it yet.
     */
    public String scrapeUntil(String expected) {
        long deadline = System.nanoTime() + 2_000_000_000L;
        String scrape = scrape();
        while (!scrape.contains(expected) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            scrape = scrape();
        }
        return scrape;
    }

    /** Scrapes {@code /metrics} without refreshing the snapshot. */
    public String scrapeAsIs() {
        Response response = send(HttpRequest.newBuilder(adminUri("/metrics")).GET().build());
        if (response.status() != 200) {
            throw new AssertionError("scrape failed: " + response);
        }
        return response.body();
    }

    @Override
    public void close() {
        sidecar.close();
    }

    /** An HTTP answer. */
    public record Response(int status, String body, Map<String, List<String>> headers) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    /** A codex spawner run in {@code session}, started and completed: 9 s, 1,500 tokens, $0.25. */
    public void spawnerRun(String session) {
        assertThat(post("/api/spawner-events", "{\"event_type\":\"spawner_start\",\"spawner_type\":\"codex\","
                + "\"session_id\":\"" + session + "\",\"data\":{\"run_id\":\"r1\"}}").status(), is(200));
        assertThat(post("/api/spawner-events", "{\"event_type\":\"spawner_complete\",\"spawner_type\":"
                + "\"codex\",\"session_id\":\"" + session + "\",\"data\":{\"run_id\":\"r1\",\"success\":true,"
                + "\"duration_seconds\":9,\"tokens_used\":1500,\"input_tokens\":1000,\"output_tokens\":500,"
                + "\"cost_usd\":0.25,\"model\":\"gpt-test\"}}").status(), is(200));
    }

    /**
     * A turn of 5 Bash calls (2 failing) and 2 subagents of one type with a Read each, sent by one client, with a
     * refused batch after each call (it must leave no trace, even inside other clients' group commits).
     */
    public void busyTurn(String session) {
        hooks(Hooks.sessionStart(session, "claude-opus-4-5"), Hooks.prompt(session, "do it"));
        for (int i = 0; i < 5; i++) {
            String id = session + "-call-" + i;
            String done = i % 3 == 1 ? Hooks.failure(session, "Bash", id, Hooks.bash("ls " + i), "boom").toString()
                    : Hooks.post(session, "Bash", id, Hooks.bash("ls " + i), 12, "ok").toString();
            hooks(Hooks.pre(session, "Bash", id, Hooks.bash("ls " + i)).toString(), done);
            post("/api/hooks", "[" + Hooks.prompt(session, "x") + ", {\"session_id\": 5}]");
        }
        for (int k = 0; k < 2; k++) {
            String agent = session + "-sub-" + k;
            String use = session + "-task-" + k;
            hooks(Hooks.pre(session, "Agent", use, Hooks.agentInput("Explore", "look")).toString(),
                  Hooks.subagentStart(session, agent, "Explore"),
                  Hooks.inSubagent(Hooks.pre(session, "Read", use + "-r", Hooks.file("/a")), agent, "Explore"),
                  Hooks.subagentStop(session, agent, "Explore", "found"),
                  Hooks.post(session, "Agent", use, Hooks.agentInput("Explore", "look"), 40, "ok").toString());
        }
        hooks(Hooks.stop(session, "done"));
    }
}
