package io.htmlgraph.sidecar.ops;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.htmlgraph.sidecar.TestSidecar;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

/** Health on the admin socket: named checks with details, and readiness that fails when a check fails. */
class HealthTest {
    @Test
    void ready_namesEachCheck_withItsDetail() {
        try (TestSidecar sidecar = TestSidecar.start()) {
            JsonNode ready = get(sidecar, "/health/ready", 200);
            assertThat(names(ready), contains("store", "writer", "store-writable", "disk", "live-hub", "workers"));
            assertThat(check(ready, "writer").at("/data/last_commit").asText(), is("ok"));
            assertThat(check(ready, "store").at("/data/file").asText(), is(sidecar.db().toAbsolutePath().toString()));
            assertThat(check(ready, "disk").at("/data/min_free_bytes").asLong(), is(100L << 20));
            JsonNode live = get(sidecar, "/health/live", 200);
            assertThat(names(live), contains("serving"));
            assertThat(names(get(sidecar, "/health", 200)),
                       contains("serving", "store", "writer", "store-writable", "disk", "live-hub", "workers"));
            get(sidecar, "/health/started", 200);
            assertThat(get(sidecar, "/nothing-here", 404).get("error").asText(), is("not_found"));
        }
    }

    @Test
    void ready_isDown_whenABackgroundWorkerHasStopped_andNamesIt() {
        try (TestSidecar sidecar = TestSidecar.start()) {
            JsonNode workers = check(get(sidecar, "/health/ready", 200), "workers");
            assertThat(workers.get("data").toString(), is("{\"connection-guard\":\"running\",\"heap-return\":"
                    + "\"running\",\"metrics-refresh\":\"running\",\"store-health\":\"running\",\"upkeep\":"
                    + "\"running\",\"wal-checkpointer\":\"running\"}"));
            sidecar.sidecar().upkeep().close(); // as a thread ended by an error looks: not running
            JsonNode ready = get(sidecar, "/health/ready", 503);
            assertThat(check(ready, "workers").get("status").asText(), is("DOWN"));
            assertThat(check(ready, "workers").at("/data/upkeep").asText(), is("stopped"));
            assertThat(check(ready, "workers").at("/data/metrics-refresh").asText(), is("running"));
            get(sidecar, "/health/live", 200);
        }
    }

    @Test
    void ready_isDown_whenTheDiskHasLessRoomThanConfigured_whileLiveStaysUp() {
        try (TestSidecar sidecar = TestSidecar.start(Map.of("min-free-disk", "999999999GB"))) {
            JsonNode ready = get(sidecar, "/health/ready", 503);
            assertThat(ready.get("status").asText(), is("DOWN"));
            assertThat(check(ready, "disk").get("status").asText(), is("DOWN"));
            assertThat(check(ready, "store").get("status").asText(), is("UP"));
            get(sidecar, "/health/live", 200);
        }
    }

    private static JsonNode get(TestSidecar sidecar, String path, int status) {
        TestSidecar.Response response = sidecar.send(HttpRequest.newBuilder(sidecar.adminUri(path)).build());
        assertThat(path + ": " + response.body(), response.status(), is(status));
        return response.json();
    }

    private static List<String> names(JsonNode health) {
        List<String> names = new ArrayList<>();
        health.get("checks").forEach(c -> names.add(c.get("name").asText()));
        return names;
    }

    private static JsonNode check(JsonNode health, String name) {
        for (JsonNode c : health.get("checks")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no check " + name + " in " + health);
    }
}
