package io.htmlgraph.sidecar.web;

import java.util.Map;

import io.htmlgraph.sidecar.TestSidecar;
import org.junit.jupiter.api.Test;

import static io.htmlgraph.sidecar.Hooks.prompt;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

/** Bearer tokens guard writes and reads when configured. */
class TokenTest {
    @Test
    void writeToken_isRequiredForWrites_butNotForReads() {
        try (TestSidecar sidecar = TestSidecar.start(Map.of("write-token", "w-secret"))) {
            TestSidecar.Response refused = sidecar.post("/api/hooks", prompt("s-tok", "hi"));
            assertThat(refused.status(), is(401));
            assertThat(refused.json().get("error").asText(), is("unauthorized"));
            assertThat(refused.headers().get("www-authenticate"), contains("Bearer"));
            assertThat(sidecar.post("/api/hooks", prompt("s-tok", "hi"), "Content-Type", "application/json",
                                    "Authorization", "Bearer wrong").status(), is(401));
            assertThat(sidecar.storedEvents(), is(0L));

            assertThat(sidecar.post("/api/hooks", prompt("s-tok", "hi"), "Content-Type", "application/json",
                                    "Authorization", "Bearer w-secret").status(), is(200));
            assertThat(sidecar.storedEvents(), is(1L));
            assertThat(sidecar.get("/api/events").status(), is(200));
        }
    }

    @Test
    void readToken_isRequiredForReads_andTheWriteTokenAlsoReads() {
        try (TestSidecar sidecar = TestSidecar.start(Map.of("read-token", "r-secret", "write-token", "w-secret"))) {
            assertThat(sidecar.get("/api/events").status(), is(401));
            assertThat(sidecar.get("/api/events", "Authorization", "Bearer nope").status(), is(401));
            assertThat(sidecar.get("/api/events", "Authorization", "Bearer r-secret").status(), is(200));
            assertThat(sidecar.get("/api/events", "Authorization", "bearer w-secret").status(), is(200));
            assertThat(sidecar.post("/api/hooks", prompt("s-tok", "hi"), "Content-Type", "application/json",
                                    "Authorization", "Bearer r-secret").status(), is(401));
        }
    }
}
