package io.htmlgraph.sidecar.web;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.htmlgraph.sidecar.SharedSidecarTest;
import io.htmlgraph.sidecar.TestSidecar;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/** Features for the kanban: priorities sort critical > high > medium > low; updates; bad input. */
class FeatureApiTest extends SharedSidecarTest {
    @Test
    void features_sortCriticalHighMediumLow_notAlphabetically() {
        for (String priority : List.of("low", "critical", "medium", "high")) {
            TestSidecar.Response created = sidecar.post("/api/features",
                    "{\"title\":\"" + priority + " card\",\"priority\":\"" + priority + "\",\"type\":\"bug\"}");
            assertThat(created.body(), created.status(), is(201));
            assertThat(created.json().get("status").asText(), is("todo"));
        }
        List<String> order = new ArrayList<>();
        sidecar.get("/api/features?status=todo").json().forEach(f -> order.add(f.get("priority").asText()));
        assertThat(order, contains("critical", "high", "medium", "low"));
    }

    @Test
    void patch_movesACard_andDoneSetsCompletedAt() {
        String id = sidecar.post("/api/features", "{\"title\":\"Ship it\"}").json().get("id").asText();
        JsonNode moved = patch(id, "{\"status\":\"done\",\"assigned_to\":\"claude-code\"}").json();
        assertThat(moved.get("status").asText(), is("done"));
        assertThat(moved.get("assigned_to").asText(), is("claude-code"));
        assertThat(moved.get("title").asText(), is("Ship it"));
        assertThat(moved.get("completed_at").isNull(), is(false));
        assertThat(sidecar.get("/api/features/" + id).json().get("status").asText(), is("done"));
    }

    @Test
    void badFeatures_are4xx() {
        assertThat(sidecar.post("/api/features", "{\"priority\":\"high\"}").json().get("detail").asText(),
                   is("'title' is required"));
        assertThat(sidecar.post("/api/features", "{\"title\":\"x\",\"priority\":\"urgent\"}").json()
                .get("detail").asText(), containsString("'priority' must be one of critical, high, low, medium"));
        assertThat(patch("feat-missing", "{\"status\":\"done\"}").status(), is(404));
        assertThat(sidecar.get("/api/features?status=doing").status(), is(400));
    }

    private static TestSidecar.Response patch(String id, String body) {
        return sidecar.send(HttpRequest.newBuilder(sidecar.uri("/api/features/" + id))
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build());
    }
}
