package io.htmlgraph.sidecar.otlp;

import com.fasterxml.jackson.databind.JsonNode;
import io.htmlgraph.sidecar.Hooks;
import io.htmlgraph.sidecar.TestSidecar;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.is;

/** Cost to ship a feature: usage follows the feature a hook names (payload, header) or the session's active one. */
class FeatureUsageTest {
    private static String newFeature(TestSidecar s, String title) {
        TestSidecar.Response created = s.post("/api/features", "{\"title\":\"" + title + "\"}");
        assertThat(created.body(), created.status(), is(201));
        return created.json().get("id").asText();
    }

    private static JsonNode feature(TestSidecar s, String id) {
        return s.get("/api/features/" + id).json();
    }

    @Test
    void usageCountsForTheFeatureNamedByHeader_payload_orActiveFeature_eachRequestOnce() {
        try (TestSidecar s = TestSidecar.start()) {
            String login = newFeature(s, "Login page");
            String search = newFeature(s, "Search");
            String export = newFeature(s, "Export");
            // 1. the header of an http hook
            TestSidecar.Response hook = s.post("/api/hooks",
                    OtlpIngestTest.prompt("f-s", "p-f1", "Build the login form"),
                    "Content-Type", "application/json", "X-Htmlgraph-Feature", login);
            assertThat(hook.status(), is(200));
            // 2. a payload field
            s.hooks(Hooks.base("f-s", "UserPromptSubmit").put("prompt", "Search box").put("prompt_id", "p-f2")
                    .put("feature_id", search).toString());
            // 3. the session's active feature, for the turns that follow
            TestSidecar.Response set = s.send(java.net.http.HttpRequest.newBuilder(s.uri("/api/sessions/f-s/feature"))
                    .header("Content-Type", "application/json")
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"feature_id\":\"" + export + "\"}"))
                    .build());
            assertThat(set.status(), is(200));
            s.hooks(OtlpIngestTest.prompt("f-s", "p-f3", "CSV export"), OtlpIngestTest.prompt("f-s", "p-f4", "More"));
            OtlpIngestTest.postJson(s, "/v1/logs", new Otlp()
                    .apiRequest("f-s", "p-f1", "req_f1", "claude-opus-4-5", 100, 10, 0, 0, 0.25)
                    .apiRequest("f-s", "p-f1", "req_f2", "claude-opus-4-5", 100, 10, 0, 0, 0.5)
                    .apiRequest("f-s", "p-f2", "req_f3", "claude-opus-4-5", 100, 10, 0, 0, 1.0)
                    .apiRequest("f-s", "p-f3", "req_f4", "claude-opus-4-5", 100, 10, 0, 0, 2.0)
                    .apiRequest("f-s", "p-f4", "req_f5", "claude-opus-4-5", 100, 10, 0, 0, 4.0).json());
            OtlpIngestTest.postJson(s, "/v1/logs", new Otlp()
                    .apiRequest("f-s", "p-f1", "req_f1", "claude-opus-4-5", 100, 10, 0, 0, 0.25).json()); // again

            assertThat(feature(s, login).get("cost_usd").asDouble(), closeTo(0.75, 1e-9));
            assertThat(feature(s, login).get("usage").get("total_tokens").asLong(), is(220L));
            assertThat(feature(s, search).get("cost_usd").asDouble(), closeTo(1.0, 1e-9));
            assertThat(feature(s, export).get("cost_usd").asDouble(), closeTo(6.0, 1e-9));
            JsonNode page = s.get("/api/features").json();
            double listed = 0;
            for (JsonNode f : page) {
                listed += f.path("cost_usd").asDouble(0);
            }
            assertThat(listed, closeTo(7.75, 1e-9));
            JsonNode usage = s.get("/api/usage").json();
            assertThat(usage.get("total").get("cost_usd").asDouble(), closeTo(7.75, 1e-9));
            assertThat(usage.get("by_feature").get(0).get("key").asText(), is(export));
            assertThat(s.get("/api/initial-stats").json().get("total_cost_usd").asDouble(), closeTo(7.75, 1e-9));
            assertThat(s.get("/api/initial-stats").json().get("total_tokens").asLong(), is(550L));
        }
    }

    @Test
    void aBadActiveFeatureBody_is400_andStoresNothing() {
        try (TestSidecar s = TestSidecar.start()) {
            TestSidecar.Response bad = s.send(java.net.http.HttpRequest.newBuilder(s.uri("/api/sessions/f-x/feature"))
                    .header("Content-Type", "application/json")
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"feature_id\": 7}")).build());
            assertThat(bad.status(), is(400));
            assertThat(bad.json().get("error").asText(), is("invalid_field"));
            assertThat(s.value("SELECT count(*) FROM sessions"), is(0));
        }
    }
}
