package io.htmlgraph.sidecar.demo;

import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import io.htmlgraph.sidecar.TestSidecar;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** The demo option's data, read through the JSON API as a dashboard user would see it. */
class DemoDataTest {
    @Test
    void demoOption_fillsSessionsWithPromptsFailuresDelegationsAndSpawnerRuns_once() {
        try (TestSidecar sidecar = TestSidecar.start(Map.of("demo", "true"))) {
            assertThat(sidecar.storedSessions(), is(4L));
            JsonNode events = sidecar.get("/api/events?limit=1000").json();
            assertThat(events.size() < 1000, is(true));
            assertThat(count(events, e -> has(e, "tool_name", "UserQuery") && has(e, "status", "completed")), is(10));
            assertThat(count(events, e -> has(e, "tool_name", "Bash") && has(e, "status", "error")), is(2));
            assertThat(count(events, e -> e.hasNonNull("spawner_type")), is(4));
            JsonNode orchestration = sidecar.get("/api/orchestration").json();
            assertThat(orchestration.get("delegation_count").asInt(), is(4));
            int successful = 0;
            for (JsonNode chain : orchestration.get("delegation_chains")) {
                successful += count(chain, link -> has(link, "status", "success"));
            }
            assertThat(successful, is(4));
            assertThat(count(sidecar.get("/api/attention").json().get("waiting"),
                             w -> has(w, "reason", "permission")), is(1));
            assertThat(sidecar.get("/api/sessions?status=ended").json().get("total").asInt(), is(2));
        }
    }

    private static boolean has(JsonNode node, String field, String value) {
        return value.equals(node.path(field).asText());
    }

    private static int count(JsonNode nodes, Predicate<JsonNode> which) {
        int n = 0;
        for (JsonNode node : nodes) {
            n += which.test(node) ? 1 : 0;
        }
        return n;
    }
}
