package io.htmlgraph.sidecar.web;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.Method;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.htmlgraph.sidecar.Api;
import io.htmlgraph.sidecar.WiredRoutes;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * Features for the kanban: priorities sort critical > high > medium > low; updates; bad input. The production
 * routing served without a socket (Helidon's {@code @RoutingTest}), on a real SQLite file.
 */
@RoutingTest
class FeatureApiTest extends WiredRoutes {

    FeatureApiTest(DirectClient http) {
        super(http);
    }

    @Test
    void features_sortCriticalHighMediumLow_notAlphabetically() {
        for (String priority : List.of("low", "critical", "medium", "high")) {
            Api.Answer created = Api.post(http, "/api/features",
                    "{\"title\":\"" + priority + " card\",\"priority\":\"" + priority + "\",\"type\":\"bug\"}");
            assertThat(created.body(), created.status().code(), is(201));
            assertThat(created.json().get("status").asText(), is("todo"));
        }
        List<String> order = new ArrayList<>();
        Api.get(http, "/api/features?status=todo").forEach(f -> order.add(f.get("priority").asText()));
        assertThat(order, contains("critical", "high", "medium", "low"));
    }

    @Test
    void patch_movesACard_andDoneSetsCompletedAt() {
        String id = Api.post(http, "/api/features", "{\"title\":\"Ship it\"}").json().get("id").asText();
        JsonNode moved = patch(id, "{\"status\":\"done\",\"assigned_to\":\"claude-code\"}").json();
        assertThat(moved.get("status").asText(), is("done"));
        assertThat(moved.get("assigned_to").asText(), is("claude-code"));
        assertThat(moved.get("title").asText(), is("Ship it"));
        assertThat(moved.get("completed_at").isNull(), is(false));
        assertThat(Api.get(http, "/api/features/" + id).get("status").asText(), is("done"));
    }

    @Test
    void badFeatures_are4xx() {
        assertThat(Api.post(http, "/api/features", "{\"priority\":\"high\"}").json().get("detail").asText(),
                   is("'title' is required"));
        assertThat(Api.post(http, "/api/features", "{\"title\":\"x\",\"priority\":\"urgent\"}").json()
                .get("detail").asText(), containsString("'priority' must be one of critical, high, low, medium"));
        assertThat(patch("feat-missing", "{\"status\":\"done\"}").status().code(), is(404));
        assertThat(Api.answer(http, "/api/features?status=doing").status().code(), is(400));
        String big = "{\"title\":\"x\",\"description\":\"" + "d".repeat(300_000) + "\"}";
        Api.Answer tooLarge = Api.post(http, "/api/features", big);
        assertThat(tooLarge.status().code(), is(413));
        assertThat(tooLarge.json().get("detail").asText(), containsString("262144 bytes"));
    }

    private Api.Answer patch(String id, String body) {
        return Api.send(http, Method.PATCH, "/api/features/" + id, body);
    }
}
