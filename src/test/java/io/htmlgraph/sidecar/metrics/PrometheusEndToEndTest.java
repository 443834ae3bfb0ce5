package io.htmlgraph.sidecar.metrics;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.htmlgraph.sidecar.Hooks;
import io.htmlgraph.sidecar.TestSidecar;
import io.htmlgraph.sidecar.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

/**
 * Debian's real Prometheus on loopback scrapes a running sidecar fed with the demo data and live ingests; then every
 * query of every shipped Grafana panel, run through Prometheus' HTTP API, must return data.
 */
class PrometheusEndToEndTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void everyGrafanaPanel_returnsDataFromARealPrometheus(@TempDir Path dir) throws Exception {
        Path prometheus = Tools.require("prometheus");
        try (TestSidecar sidecar = TestSidecar.start(Map.of("demo", "true", "metrics.refresh", "1s"))) {
            feed(sidecar);
            sidecar.scrape(); // refreshes the snapshot now: every scrape from the first one shows the fed figures
            int port = freePort();
            Files.writeString(dir.resolve("prometheus.yml"), """
                    global:
                      scrape_interval: 500ms
                      scrape_timeout: 500ms
                      evaluation_interval: 500ms
                    scrape_configs:
                      - job_name: htmlgraph-sidecar
                        static_configs:
                          - targets: ["127.0.0.1:%d"]
                    """.formatted(sidecar.adminUri("/").getPort()));
            Process server = new ProcessBuilder(prometheus.toString(),
                    "--config.file=" + dir.resolve("prometheus.yml"), "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            try {
                String base = "http://127.0.0.1:" + port;
                waitFor(base, "count_over_time(up{job=\"htmlgraph-sidecar\"}[1m]) >= 5", dir);
                List<String> empty = new ArrayList<>();
                for (Dashboards.Query query : Dashboards.queries()) {
                    JsonNode answer = query(base, query.resolved());
                    if (!answer.path("status").asText().equals("success") || answer.at("/data/result").isEmpty()) {
                        empty.add(query.panel() + ": " + query.resolved() + " -> " + answer);
                    }
                }
                assertThat(empty, is(empty()));
            } finally {
                server.destroy();
                server.waitFor();
            }
        }
    }

    /** Live ingests on top of the demo data: accepted hooks, a spawner run with tokens, a refused request. */
    private static void feed(TestSidecar sidecar) {
        sidecar.hooks(Hooks.prompt("e2e", "check the pipeline"), Hooks.stop("e2e", "done"));
        sidecar.post("/api/spawner-events", "{\"event_type\":\"spawner_complete\",\"spawner_type\":\"codex\","
                + "\"session_id\":\"e2e\",\"data\":{\"success\":true,\"input_tokens\":1200,\"output_tokens\":400,"
                + "\"cache_read_tokens\":9000,\"cost_usd\":0.04,\"model\":\"gpt-5-codex\"}}");
        sidecar.post("/api/hooks", "[1, 2");
    }

    private void waitFor(String base, String condition, Path dir) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (!query(base, condition).at("/data/result").isEmpty()) {
                    return;
                }
            } catch (IOException notYetListening) {
                // Prometheus is still starting
            }
            Thread.sleep(250);
        }
        throw new AssertionError("Prometheus never met '" + condition + "'; its log:\n"
                                 + Files.readString(dir.resolve("prometheus.log")));
    }

    private JsonNode query(String base, String promql) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return TestSidecar.JSON.readTree(response.body());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
