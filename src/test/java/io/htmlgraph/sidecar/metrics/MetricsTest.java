package io.htmlgraph.sidecar.metrics;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import io.htmlgraph.sidecar.Hooks;
import io.htmlgraph.sidecar.TestSidecar;
import io.htmlgraph.sidecar.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * {@code /metrics} on a real sidecar filled with the demo data (through the real ingest path) plus HTTP ingests:
 * the figures agree with the JSON API and the database, the snapshot changes only on refresh, labels stay bounded,
 * the family names and labels match a golden list, and promtool finds nothing to report.
 */
class MetricsTest {
    private static final Path GOLDEN = Path.of("src/test/resources/metrics/families.txt");
    private static TestSidecar demo;

    @BeforeAll
    static void startDemoSidecar() {
        demo = TestSidecar.start(Map.of("demo", "true"));
        demo.post("/api/spawner-events", "{\"event_type\":\"spawner_start\",\"spawner_type\":\"gemini\","
                + "\"session_id\":\"live-1\",\"data\":{\"run_id\":\"r1\",\"model\":\"gemini-2.5-flash\"}}");
        demo.post("/api/spawner-events", "{\"event_type\":\"spawner_complete\",\"spawner_type\":\"gemini\","
                + "\"session_id\":\"live-1\",\"data\":{\"run_id\":\"r1\",\"success\":true,"
                + "\"input_tokens\":700,\"output_tokens\":300,\"cache_read_tokens\":5000,\"cost_usd\":0.25,"
                + "\"model\":\"gemini-2.5-flash\"}}");
        // a total with only part of it by kind: the rest counts as unspecified
        demo.post("/api/spawner-events", "{\"event_type\":\"spawner_complete\",\"spawner_type\":\"codex\","
                + "\"session_id\":\"live-1\",\"data\":{\"tokens_used\":1000,\"input_tokens\":600,"
                + "\"model\":\"gpt-5-codex\"}}");
        demo.hooks(Hooks.prompt("live-2", "fix the build"),
                   Hooks.notification("live-2", "permission_prompt", "Claude needs your permission to use Bash"));
        demo.post("/api/hooks", "{not json");
    }

    @AfterAll
    static void stopDemoSidecar() {
        demo.close();
    }

    @Test
    void figures_agreeWithTheJsonApiAndTheStore() {
        Exposition m = Exposition.parse(demo.scrape());
        JsonNode stats = demo.get("/api/initial-stats").json();
        assertThat(m.value("htmlgraph_agents_known"), is(stats.path("total_agents").asDouble()));
        assertThat(m.sum("htmlgraph_stored_events"), is(stats.path("total_events").asDouble()));
        for (JsonNode s : demo.get("/api/spawner-statistics").json().path("spawner_statistics")) {
            String series = "{spawner_type=\"" + s.path("spawner_type").asText() + "\"}";
            assertThat(m.value("htmlgraph_spawner_delegations" + series), is(s.path("total_delegations").asDouble()));
            assertThat(m.value("htmlgraph_spawner_successes" + series), is(s.path("successful").asDouble()));
            assertThat(m.value("htmlgraph_spawner_success_ratio" + series) * 100,
                       closeTo(s.path("success_rate").asDouble(), 0.05));
            assertThat(m.value("htmlgraph_spawner_tokens" + series), is(s.path("total_tokens").asDouble()));
            assertThat(m.value("htmlgraph_spawner_cost_usd" + series), closeTo(s.path("total_cost").asDouble(), 1e-9));
            if (s.path("avg_duration").isNumber()) {
                assertThat(m.value("htmlgraph_spawner_average_duration_seconds" + series),
                           closeTo(s.path("avg_duration").asDouble(), 1e-9));
            }
            assertThat(m.value("htmlgraph_spawner_delegations" + series), is(((Number) demo.value(
                    "SELECT count(*) FROM agent_events WHERE spawner_type = '" + s.path("spawner_type").asText() + "'"))
                    .doubleValue()));
        }
        for (String status : List.of("active", "idle", "ended")) {
            assertThat(status, m.value("htmlgraph_sessions{status=\"" + status + "\"}"),
                       is(demo.get("/api/sessions?status=" + status).json().path("total").asDouble()));
        }
        assertThat(m.value("htmlgraph_agents_waiting"),
                   is((double) demo.get("/api/attention").json().path("waiting").size()));
        assertThat(m.value("htmlgraph_agents_waiting"), is(2.0));
        assertThat(m.value("htmlgraph_features{status=\"in_progress\"}"), is(1.0));
        assertThat(m.value("htmlgraph_features{status=\"cancelled\"}"), is(0.0));
        for (Map<String, Object> row : demo.rows("SELECT agent_id, count(*) AS n FROM agent_events GROUP BY 1")) {
            assertThat(m.value("htmlgraph_agent_events{agent=\"" + row.get("agent_id") + "\"}"),
                       is(((Number) row.get("n")).doubleValue()));
        }
        for (Map<String, Object> row : demo.rows("SELECT agent_id, count(*) AS n FROM agent_events"
                                                 + " WHERE status = 'error' GROUP BY 1")) {
            assertThat(m.value("htmlgraph_agent_errors{agent=\"" + row.get("agent_id") + "\"}"),
                       is(((Number) row.get("n")).doubleValue()));
        }
        assertThat(m.sum("htmlgraph_agent_errors"), greaterThan(0.0));
        assertThat(m.value("htmlgraph_model_tokens{model=\"gemini-2.5-flash\",type=\"cache_read\"}"), is(5000.0));
        assertThat(m.value("htmlgraph_model_tokens{model=\"gemini-2.5-flash\",type=\"unspecified\"}"), is(0.0));
        assertThat(m.value("htmlgraph_model_cost_usd{model=\"gemini-2.5-flash\"}"), is(0.25));
        assertThat(m.value("htmlgraph_model_tokens{model=\"gpt-5-codex\",type=\"input\"}"), is(600.0));
        assertThat(m.value("htmlgraph_model_tokens{model=\"gpt-5-codex\",type=\"unspecified\"}"), is(400.0));
        assertThat(m.sum("htmlgraph_agent_tokens"), is(m.sum("htmlgraph_model_tokens")));
        assertThat(m.sum("htmlgraph_agent_tokens"),
                   is(((Number) demo.value("SELECT sum(total_tokens) FROM agent_events")).doubleValue()));
        assertThat(m.sum("htmlgraph_agent_workload_ratio"), closeTo(1.0, 1e-9));
    }

    @Test
    void ingestRequests_areCountedBySourceAndReason() {
        Exposition m = Exposition.parse(demo.scrape());
        assertThat(m.value("htmlgraph_ingest_events_total{source=\"spawner\"}"), is(3.0));
        assertThat(m.value("htmlgraph_ingest_events_total{source=\"hooks\"}"), is(2.0));
        assertThat(m.value("htmlgraph_ingest_rejected_total{reason=\"malformed_json\",source=\"hooks\"}"), is(1.0));
        assertThat(m.value("htmlgraph_ingest_request_duration_seconds_count{source=\"hooks\"}"), is(3.0));
        assertThat(m.value("htmlgraph_ingest_request_duration_seconds_bucket{source=\"hooks\",le=\"+Inf\"}"), is(3.0));
    }

    @Test
    void unauthorizedWrites_areCountedAsRejected() {
        try (TestSidecar sidecar = TestSidecar.start(Map.of("write-token", "s3cret"))) {
            sidecar.post("/api/hooks", Hooks.prompt("s1", "hello"));
            sidecar.post("/api/spawner-events", "{}", "Content-Type", "application/json",
                         "Authorization", "Bearer s3cret");
            Exposition m = Exposition.parse(sidecar.scrape());
            assertThat(m.value("htmlgraph_ingest_rejected_total{reason=\"unauthorized\",source=\"hooks\"}"), is(1.0));
            assertThat(m.value("htmlgraph_ingest_rejected_total{reason=\"missing_field\",source=\"spawner\"}"),
                       is(1.0));
            assertThat(m.value("htmlgraph_ingest_events_total{source=\"hooks\"}"), is(0.0));
            assertThat(m.value("htmlgraph_ingest_request_duration_seconds_count{source=\"hooks\"}"), is(1.0));
            assertThat(m.value("htmlgraph_ingest_rejected_total{reason=\"store_busy\",source=\"envelopes\"}"),
                       is(0.0)); // every reason is there from the start
        }
    }

    @Test
    void storeFigures_changeOnlyOnRefresh() {
        try (TestSidecar sidecar = TestSidecar.start(Map.of("metrics.refresh", "1h"))) {
            sidecar.hooks(Hooks.prompt("s1", "one"), Hooks.stop("s1", "done"));
            assertThat(Exposition.parse(sidecar.scrape()).sum("htmlgraph_stored_events"), is(2.0));
            sidecar.hooks(Hooks.prompt("s1", "two"));
            assertThat(Exposition.parse(sidecar.scrapeAsIs()).sum("htmlgraph_stored_events"), is(2.0));
            assertThat(Exposition.parse(sidecar.scrape()).sum("htmlgraph_stored_events"), is(3.0));
            Exposition again = Exposition.parse(sidecar.scrape());
            assertThat(again.sum("htmlgraph_stored_events"), is(3.0));
            assertThat(again.value("htmlgraph_agent_events{agent=\"claude-code\"}"), is(3.0));
            assertThat(again.value("htmlgraph_metrics_refresh_failures_total"), is(0.0));
        }
    }

    @Test
    void scrapesDuringRefreshes_alwaysShowEveryFamily() throws Exception {
        Set<String> families = htmlgraphFamilies(demo.scrape());
        Thread refreshing = Thread.ofPlatform().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                demo.scrape(); // refreshes, then scrapes
            }
        });
        try {
            for (int i = 0; i < 200; i++) {
                assertThat(htmlgraphFamilies(demo.scrapeAsIs()), is(families));
            }
        } finally {
            refreshing.interrupt();
            refreshing.join();
        }
    }

    /** The sidecar's own families (JVM families come and go: a GC pause family appears after the first pause). */
    private static Set<String> htmlgraphFamilies(String scrape) {
        Set<String> families = new TreeSet<>(Exposition.parse(scrape).types().keySet());
        families.removeIf(family -> !family.startsWith("htmlgraph_"));
        return families;
    }

    @Test
    void tokenCounts_mustBeWholeAndAddUp() {
        for (String data : List.of("{\"tokens_used\":1.9}", "{\"input_tokens\":-1}",
                                   "{\"tokens_used\":10,\"input_tokens\":6,\"output_tokens\":6}")) {
            TestSidecar.Response answer = demo.post("/api/spawner-events", "{\"event_type\":\"spawner_complete\","
                    + "\"spawner_type\":\"gemini\",\"session_id\":\"bad-tokens\",\"data\":" + data + "}");
            assertThat(data, answer.status(), is(400));
            assertThat(answer.json().path("error").asText(), is("invalid_field"));
        }
    }

    @Test
    void agentsBeyondTopN_foldIntoOther() {
        try (TestSidecar sidecar = TestSidecar.start(Map.of("metrics.top-n", "2"))) {
            sidecar.hooks(Hooks.prompt("s1", "fan out"));
            for (String type : List.of("Explore", "Plan", "code-reviewer")) {
                sidecar.hooks(Hooks.subagentStart("s1", "agent-" + type, type),
                              Hooks.subagentStop("s1", "agent-" + type, type, "ok"));
            }
            Exposition m = Exposition.parse(sidecar.scrape());
            Set<String> agents = new TreeSet<>();
            m.samples().keySet().stream().filter(k -> k.startsWith("htmlgraph_agent_events{"))
                    .forEach(k -> agents.add(k.substring(k.indexOf('"') + 1, k.lastIndexOf('"'))));
            assertThat(agents.size(), is(3));
            assertThat(agents.contains("other"), is(true));
            assertThat(m.sum("htmlgraph_agent_events"),
                       is(((Number) sidecar.value("SELECT count(*) FROM agent_events")).doubleValue()));
            assertThat(m.value("htmlgraph_agents_known"), is(4.0));
        }
    }

    @Test
    void familiesTypesAndLabels_matchTheGoldenList() throws IOException {
        Exposition m = Exposition.parse(demo.scrape());
        List<String> lines = new ArrayList<>();
        m.types().forEach((family, type) -> {
            if (family.startsWith("htmlgraph_") || family.startsWith("http_")) {
                String sample = type.equals("histogram") ? family + "_bucket" : family;
                lines.add((family + " " + type + " "
                           + String.join(",", m.labels().getOrDefault(sample, new TreeSet<>()))).strip());
            }
        });
        String expected = Files.readString(GOLDEN, StandardCharsets.UTF_8);
        assertThat(String.join("\n", lines) + "\n", is(expected));
    }

    @Test
    void promtoolCheckMetrics_reportsNothing() throws Exception {
        String scrape = demo.scrape();
        Tools.assertPromtoolFindsNothing(scrape);
        assertThat(scrape.lines().filter(l -> l.startsWith("htmlgraph_")).count(), greaterThan(100L));
    }

    @Test
    void openMetrics_whenTheScraperAsksForIt() {
        TestSidecar.Response answer = demo.send(HttpRequest.newBuilder(demo.adminUri("/metrics"))
                .header("Accept", "application/openmetrics-text;version=1.0.0").GET().build());
        assertThat(answer.headers().get("content-type").get(0), containsString("application/openmetrics-text"));
        assertThat(answer.body(), endsWith("# EOF\n"));
        assertThat(demo.get("/metrics").status(), is(404));
    }

    @Test
    void helidonServerMetrics_timeEachRouteTemplate_neverARawPath() {
        demo.get("/api/sessions/demo-session-1");
        demo.get("/api/events?limit=1");
        demo.get("/no/such/route/secret-path");
        demo.send(HttpRequest.newBuilder(demo.uri("/api/events")).method("BREW", HttpRequest.BodyPublishers.noBody())
                .build());
        String count = "http_server_request_duration_seconds_count";
        Exposition m = Exposition.parse(demo.scrapeUntil(
                count + "{method=\"other\",route=\"unmatched\",scope=\"vendor\",status=\"4xx\"}"));
        assertThat(m.value(count + "{method=\"GET\",route=\"/api/sessions/{id}\",scope=\"vendor\",status=\"2xx\"}"),
                   greaterThan(0.0));
        assertThat(m.value(count + "{method=\"GET\",route=\"unmatched\",scope=\"vendor\",status=\"4xx\"}"),
                   greaterThan(0.0));
        assertThat(m.value(count + "{method=\"POST\",route=\"/api/hooks\",scope=\"vendor\",status=\"4xx\"}"),
                   greaterThan(0.0));
        String scrape = demo.scrape();
        assertThat(scrape, not(containsString("demo-session-1")));
        assertThat(scrape, not(containsString("secret-path")));
        assertThat(scrape, not(containsString("BREW")));
    }
}
