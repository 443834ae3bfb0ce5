package io.htmlgraph.sidecar.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.htmlgraph.sidecar.Hooks;
import io.htmlgraph.sidecar.TestSidecar;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/**
 * Retention: events older than HTMLGRAPH_RETENTION are pruned after being rolled up by day; lifetime totals
 * (metrics, initial stats), the daily history and event counts stay as they were.
 */
class RetentionTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** Families whose values must not change when old events go (timings and sizes may). */
    private static final List<String> TOTALS = List.of("htmlgraph_agent_cost_usd", "htmlgraph_agent_errors",
            "htmlgraph_agent_events", "htmlgraph_agent_sessions", "htmlgraph_agent_tokens", "htmlgraph_agents_known",
            "htmlgraph_model_cost_usd", "htmlgraph_model_tokens", "htmlgraph_sessions", "htmlgraph_spawner_",
            "htmlgraph_stored_events", "htmlgraph_agent_last_active");

    @Test
    void eventsOlderThanRetention_arePruned_totalsAndDailySeriesUnchanged() {
        try (TestSidecar sidecar = TestSidecar.start(Map.of("retention", "30d"))) {
            Instant old = Instant.now().minus(Duration.ofDays(40));
            for (int s = 0; s < 3; s++) {
                envelopes(sidecar, "s-old-" + s, old.plusSeconds(s * 3600L), 40);
            }
            envelopes(sidecar, "s-new", Instant.now().minusSeconds(600), 5);
            sidecar.spawnerRun("s-old-0");
            // spawner events carry no timestamp of their own: age the run as if it came 40 days ago
            sidecar.execute("UPDATE agent_events SET timestamp = '" + old + "', ended_at = '" + old.plusSeconds(9)
                            + "' WHERE spawner_type IS NOT NULL");
            sidecar.execute("UPDATE live_events SET timestamp = '" + old + "'");
            long before = count(sidecar, "SELECT count(*) FROM agent_events");
            long oldRows = count(sidecar, "SELECT count(*) FROM agent_events WHERE timestamp < '"
                                          + Instant.now().minus(Duration.ofDays(30)) + "'");
            String metrics = totals(sidecar.scrape());
            String stats = sidecar.get("/api/initial-stats").body();
            String daily = sidecar.get("/api/daily?days=60").body();
            String counts = sidecar.rows("SELECT * FROM event_counts ORDER BY 1, 2").toString();

            long pruned = sidecar.sidecar().upkeep().runNow();

            assertThat(oldRows, greaterThan(100L));
            assertThat(pruned, is(oldRows));
            assertThat(count(sidecar, "SELECT count(*) FROM agent_events"), is(before - oldRows));
            assertThat(count(sidecar, "SELECT count(*) FROM live_events"), is(0L));
            assertThat(totals(sidecar.scrape()), is(metrics));
            assertThat(sidecar.get("/api/initial-stats").body(), is(stats));
            assertThat(sidecar.get("/api/daily?days=60").body(), is(daily));
            assertThat(sidecar.rows("SELECT * FROM event_counts ORDER BY 1, 2").toString(), is(counts));
            assertThat(sidecar.get("/api/daily?days=60").json().get(0).get("day").asText(),
                       is(old.toString().substring(0, 10)));
            assertThat("pages freed by the prune went back to the file system",
                       count(sidecar, "SELECT freelist_count FROM pragma_freelist_count"), is(0L));
            assertThat(count(sidecar, "SELECT auto_vacuum FROM pragma_auto_vacuum"), is(2L));
            assertThat(sidecar.sidecar().upkeep().longestBatchMillis(), lessThan(1000L));
        }
    }

    @Test
    void daily_rejectsBadDays_with400() {
        try (TestSidecar sidecar = TestSidecar.start()) {
            TestSidecar.Response answer = sidecar.get("/api/daily?days=0");
            assertThat(answer.status(), is(400));
            assertThat(answer.json().get("error").asText(), is("invalid_parameter"));
            assertThat(sidecar.get("/api/daily?days=x").status(), is(400));
        }
    }

    /** A session of {@code tools} Bash calls (every fifth failing) in one turn, sent as timestamped envelopes. */
    private static void envelopes(TestSidecar sidecar, String session, Instant start, int tools) {
        StringBuilder body = new StringBuilder();
        Instant at = start;
        body.append(envelope(session, "SessionStart", Hooks.base(session, "SessionStart"), at)).append('\n');
        body.append(envelope(session, "UserPromptSubmit", Hooks.base(session, "UserPromptSubmit")
                .put("prompt", "work " + session), at = at.plusSeconds(1))).append('\n');
        for (int i = 0; i < tools; i++) {
            String id = session + "-tu-" + i;
            body.append(envelope(session, "PreToolUse", Hooks.pre(session, "Bash", id, Hooks.bash("echo " + i)),
                                 at = at.plusSeconds(2))).append('\n');
            ObjectNode done = i % 5 == 4 ? Hooks.failure(session, "Bash", id, Hooks.bash("echo " + i), "boom")
                    : Hooks.post(session, "Bash", id, Hooks.bash("echo " + i), 800, "ok");
            body.append(envelope(session, done.get("hook_event_name").asText(), done, at = at.plusSeconds(1)))
                    .append('\n');
        }
        body.append(envelope(session, "Stop", Hooks.base(session, "Stop"), at.plusSeconds(1))).append('\n');
        TestSidecar.Response answer = sidecar.post("/events", body.toString());
        assertThat(answer.body(), answer.status(), is(200));
    }

    private static String envelope(String session, String type, ObjectNode payload, Instant at) {
        ObjectNode envelope = F.objectNode().put("source_app", "test").put("session_id", session)
                .put("hook_event_type", type).put("timestamp", at.toEpochMilli()).put("model_name", "claude-test");
        envelope.set("payload", payload);
        return envelope.toString();
    }

    private static String totals(String exposition) {
        return exposition.lines().filter(l -> TOTALS.stream().anyMatch(l::startsWith))
                .collect(Collectors.joining("\n"));
    }

    private static long count(TestSidecar sidecar, String sql) {
        return ((Number) sidecar.value(sql)).longValue();
    }
}
