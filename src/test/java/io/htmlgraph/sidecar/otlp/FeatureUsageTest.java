package io.htmlgraph.sidecar.otlp;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.Method;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.htmlgraph.sidecar.Api;
import io.htmlgraph.sidecar.Hooks;
import io.htmlgraph.sidecar.WiredRoutes;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.is;

/**
 * Cost to ship a feature: usage follows the feature a hook names (payload, header) or the session's active one. The
 * production routing without a socket (Helidon's {@code @RoutingTest}).
 */
@RoutingTest
class FeatureUsageTest extends WiredRoutes {

    FeatureUsageTest(DirectClient http) {
        super(http);
    }

    private String newFeature(String title) {
        Api.Answer created = Api.post(http, "/api/features", "{\"title\":\"" + title + "\"}");
        assertThat(created.body(), created.status().code(), is(201));
        return created.json().get("id").asText();
    }

    private JsonNode feature(String id) {
        return Api.get(http, "/api/features/" + id);
    }

    @Test
    void usageCountsForTheFeatureNamedByHeader_payload_orActiveFeature_eachRequestOnce() {
        String login = newFeature("Login page");
        String search = newFeature("Search");
        String export = newFeature("Export");
        // 1. the header of an http hook
        Api.Answer hook = Api.post(http, "/api/hooks", OtlpIngestTest.prompt("f-s", "p-f1", "Build the login form"),
                                   "application/json", "X-Htmlgraph-Feature", login);
        assertThat(hook.status().code(), is(200));
        // 2. a payload field
        Api.hooks(http, Hooks.base("f-s", "UserPromptSubmit").put("prompt", "Search box").put("prompt_id", "p-f2")
                .put("feature_id", search).toString());
        // 3. the session's active feature, for the turns that follow
        Api.Answer set = Api.send(http, Method.PUT, "/api/sessions/f-s/feature",
                                  "{\"feature_id\":\"" + export + "\"}");
        assertThat(set.status().code(), is(200));
        Api.hooks(http, OtlpIngestTest.prompt("f-s", "p-f3", "CSV export"),
                OtlpIngestTest.prompt("f-s", "p-f4", "More"));
        Api.post(http, "/v1/logs", new Otlp()
                .apiRequest("f-s", "p-f1", "req_f1", "claude-opus-4-5", 100, 10, 0, 0, 0.25)
                .apiRequest("f-s", "p-f1", "req_f2", "claude-opus-4-5", 100, 10, 0, 0, 0.5)
                .apiRequest("f-s", "p-f2", "req_f3", "claude-opus-4-5", 100, 10, 0, 0, 1.0)
                .apiRequest("f-s", "p-f3", "req_f4", "claude-opus-4-5", 100, 10, 0, 0, 2.0)
                .apiRequest("f-s", "p-f4", "req_f5", "claude-opus-4-5", 100, 10, 0, 0, 4.0).json());
        Api.post(http, "/v1/logs", new Otlp()
                .apiRequest("f-s", "p-f1", "req_f1", "claude-opus-4-5", 100, 10, 0, 0, 0.25).json()); // again

        assertThat(feature(login).get("cost_usd").asDouble(), closeTo(0.75, 1e-9));
        assertThat(feature(login).get("usage").get("total_tokens").asLong(), is(220L));
        assertThat(feature(search).get("cost_usd").asDouble(), closeTo(1.0, 1e-9));
        assertThat(feature(export).get("cost_usd").asDouble(), closeTo(6.0, 1e-9));
        JsonNode page = Api.get(http, "/api/features");
        double listed = 0;
        for (JsonNode f : page) {
            listed += f.path("cost_usd").asDouble(0);
        }
        assertThat(listed, closeTo(7.75, 1e-9));
        JsonNode usage = Api.get(http, "/api/usage");
        assertThat(usage.get("total").get("cost_usd").asDouble(), closeTo(7.75, 1e-9));
        assertThat(usage.get("by_feature").get(0).get("key").asText(), is(export));
        assertThat(Api.get(http, "/api/initial-stats").get("total_cost_usd").asDouble(), closeTo(7.75, 1e-9));
        assertThat(Api.get(http, "/api/initial-stats").get("total_tokens").asLong(), is(550L));
    }

    @Test
    void aBadActiveFeatureBody_is400_andStoresNothing() {
        long sessions = Api.get(http, "/api/initial-stats").get("total_sessions").asLong();
        Api.Answer bad = Api.send(http, Method.PUT, "/api/sessions/f-x/feature", "{\"feature_id\": 7}");
        assertThat(bad.status().code(), is(400));
        assertThat(bad.json().get("error").asText(), is("invalid_field"));
        assertThat(Api.get(http, "/api/initial-stats").get("total_sessions").asLong(), is(sessions));
        assertThat(Api.answer(http, "/api/sessions/f-x").status().code(), is(404));
    }
}
