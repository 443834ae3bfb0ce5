package io.htmlgraph.sidecar.otlp;

import com.fasterxml.jackson.databind.JsonNode;
import io.htmlgraph.sidecar.Hooks;
import io.htmlgraph.sidecar.TestSidecar;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.is;

/** Cost to ship a feature, spawner runs included: a run counts toward the feature it names (or its parent's), once. */
class SpawnerFeatureTest {
    private static String newFeature(TestSidecar s, String title) {
        TestSidecar.Response created = s.post("/api/features", "{\"title\":\"" + title + "\"}");
        assertThat(created.body(), created.status(), is(201));
        return created.json().get("id").asText();
    }

    private static String run(String session, String type, String runId, String extra, String data) {
        return "{\"event_type\":\"" + type + "\",\"spawner_type\":\"codex\",\"session_id\":\"" + session + "\","
               + extra + "\"data\":{\"run_id\":\"" + runId + "\"" + data + "}}";
    }

    private static void post(TestSidecar s, String body, String... headers) {
        TestSidecar.Response answer = s.post("/api/spawner-events", body, headers);
        assertThat(answer.body(), answer.status(), is(200));
    }

    private static JsonNode feature(TestSidecar s, String id) {
        return s.get("/api/features/" + id).json();
    }

    @Test
    void spawnerRuns_countTowardTheFeatureNamedByHeaderPayloadOrParent_exactlyOnce() {
        try (TestSidecar s = TestSidecar.start()) {
            String parser = newFeature(s, "Parser");
            String docs = newFeature(s, "Docs");
            String search = newFeature(s, "Search");
            // 1. the X-Htmlgraph-Feature header; the completion is delivered twice
            post(s, run("sf", "spawner_start", "r1", "", ",\"prompt_preview\":\"Port the parser\""),
                 "Content-Type", "application/json", "X-Htmlgraph-Feature", parser);
            String complete = run("sf", "spawner_complete", "r1", "", ",\"success\":true,\"tokens_used\":1500,"
                                  + "\"input_tokens\":1000,\"output_tokens\":500,\"cost_usd\":0.42");
            post(s, complete);
            post(s, complete);
            // 2. a payload field (top level), on a run whose completion names nothing
            post(s, run("sf", "spawner_start", "r2", "\"feature_id\":\"" + docs + "\",", ""));
            post(s, run("sf", "spawner_complete", "r2", "", ",\"success\":true,\"tokens_used\":200,\"cost_usd\":0.1"));
            // 3. the parent turn's feature
            s.hooks(Hooks.base("sf", "UserPromptSubmit").put("prompt", "Search").put("prompt_id", "p-sf")
                    .put("feature_id", search).toString());
            String turn = s.get("/api/events?session_id=sf").json().get(0).get("event_id").asText();
            post(s, run("sf", "spawner_start", "r3", "\"parent_event_id\":\"" + turn + "\",", ""));
            post(s, run("sf", "spawner_complete", "r3", "", ",\"success\":false,\"error\":\"boom\","
                        + "\"tokens_used\":50,\"cost_usd\":0.02"));

            assertThat(feature(s, parser).get("cost_usd").asDouble(), closeTo(0.42, 1e-9));
            assertThat(feature(s, parser).get("usage").get("total_tokens").asLong(), is(1500L));
            assertThat(feature(s, parser).get("usage").get("cost_source").asText(), is("spawner"));
            assertThat(feature(s, docs).get("cost_usd").asDouble(), closeTo(0.1, 1e-9));
            assertThat(feature(s, search).get("cost_usd").asDouble(), closeTo(0.02, 1e-9));
            double listed = 0;
            for (JsonNode f : s.get("/api/features").json()) {
                listed += f.path("cost_usd").asDouble(0);
            }
            assertThat(listed, closeTo(0.54, 1e-9));
            assertThat(s.get("/api/usage").json().get("total").get("cost_usd").asDouble(), closeTo(0.54, 1e-9));
        }
    }

    @Test
    void aFeatureIdOfTheWrongType_isRefusedWith400_andNothingStored() {
        try (TestSidecar s = TestSidecar.start()) {
            TestSidecar.Response answer = s.post("/api/spawner-events",
                    run("sf-bad", "spawner_start", "r1", "\"feature_id\":42,", ""));
            assertThat(answer.status(), is(400));
            assertThat(s.get("/api/spawner-activities?session_id=sf-bad").json().get("count").asInt(), is(0));
        }
    }
}
