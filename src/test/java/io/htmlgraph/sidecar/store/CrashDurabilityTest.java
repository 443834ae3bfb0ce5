package io.htmlgraph.sidecar.store;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.htmlgraph.sidecar.ChildJvm;
import io.htmlgraph.sidecar.Hooks;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

/**
 * Every event acknowledged with a 2xx is still there after the process is killed with SIGKILL. The sidecar runs in
 * a JVM of its own, the only server in it, which also makes it the place to check Helidon's key performance
 * indicators: Helidon 4.5.0 keeps them per JVM and drops them when the first of several servers stops.
 */
class CrashDurabilityTest {
    private static final Pattern LISTENING = Pattern.compile("Claude Code hooks\\s+POST (http://\\S+)/api/hooks");
    private static final Pattern METRICS = Pattern.compile("(http://[^\\s/]+)/metrics");

    @Test
    void acknowledgedEvents_surviveKillDashNine() throws Exception {
        Path db = Files.createTempDirectory("crash").resolve("crash.db");
        ProcessBuilder builder = new ProcessBuilder(ChildJvm.command("io.htmlgraph.sidecar.Main"))
                .redirectErrorStream(true);
        builder.environment().putAll(Map.of("HTMLGRAPH_DB", db.toString(), "HTMLGRAPH_PORT", "0",
                "HTMLGRAPH_ADMIN_PORT", "0", "HTMLGRAPH_ADMIN_HOST", "127.0.0.1"));
        Process sidecar = builder.start();
        sidecar.getOutputStream().close();
        try {
            String banner = banner(sidecar, db);
            String base = LISTENING.matcher(banner).results().findFirst().orElseThrow().group(1);
            Matcher metrics = METRICS.matcher(banner);
            String metricsUrl = (metrics.find() ? metrics.group(1) : "") + "/metrics";
            int acknowledged = 0;
            try (HttpClient http = HttpClient.newHttpClient()) {
                for (int i = 0; i < 200; i++) {
                    String event = Hooks.pre("s-crash", "Bash", "tu-" + i, Hooks.bash("echo " + i)).toString();
                    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(base + "/api/hooks"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(event)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (answer.statusCode() == 200) {
                        acknowledged++;
                    }
                }
            }
            assertThat(requestsCounted(metricsUrl), greaterThanOrEqualTo(200.0));
            sidecar.destroyForcibly(); // SIGKILL: no shutdown hook, no checkpoint
            assertThat(sidecar.waitFor(10, TimeUnit.SECONDS), is(true));
            assertThat(acknowledged, is(200));
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                 ResultSet rs = c.createStatement().executeQuery(
                         "SELECT count(*) FROM agent_events WHERE session_id = 's-crash'")) {
                assertThat(rs.getInt(1), is(acknowledged));
            }
        } finally {
            sidecar.destroyForcibly();
        }
    }

    /** Helidon's count of requests received, from the sidecar's own scrape. */
    private static double requestsCounted(String metricsUrl) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            String scrape = http.send(HttpRequest.newBuilder(URI.create(metricsUrl)).build(),
                                      HttpResponse.BodyHandlers.ofString()).body();
            return scrape.lines().filter(line -> line.startsWith("requests_count_total{"))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                    .sum();
        }
    }

    /** Reads the sidecar's log until it says where it listens; returns the banner (the log up to there). */
    private static String banner(Process sidecar, Path db) throws Exception {
        BufferedReader log = new BufferedReader(new InputStreamReader(sidecar.getInputStream()));
        String line;
        StringBuilder seen = new StringBuilder();
        while ((line = log.readLine()) != null) {
            seen.append(line).append('\n');
            if (METRICS.matcher(line).find()) {
                Thread.ofVirtual().start(() -> log.lines().forEach(l -> { }));
                return seen.toString();
            }
        }
        throw new AssertionError("the sidecar did not start (db " + db + "):\n" + seen);
    }
}
