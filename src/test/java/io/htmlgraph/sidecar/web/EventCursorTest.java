package io.htmlgraph.sidecar.web;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.htmlgraph.sidecar.Hooks;
import io.htmlgraph.sidecar.TestSidecar;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** {@code /api/events?cursor=}: keyset pages give the same events as offsets, in order, without gaps or repeats. */
class EventCursorTest {
    @Test
    void cursorPages_walkTheSameEventsAsOffsetPages() {
        try (TestSidecar sidecar = TestSidecar.start()) {
            for (int s = 0; s < 2; s++) {
                String session = "cur-" + s;
                sidecar.hooks(Hooks.prompt(session, "go"));
                for (int i = 0; i < 6; i++) {
                    String id = session + "-" + i;
                    sidecar.hooks(Hooks.pre(session, "Bash", id, Hooks.bash("ls")).toString(),
                                  Hooks.post(session, "Bash", id, Hooks.bash("ls"), 5, "ok").toString());
                }
                sidecar.hooks(Hooks.stop(session, "done"));
            }
            List<String> all = ids(sidecar.get("/api/events?limit=1000").json());
            List<String> walked = new ArrayList<>();
            String cursor = null;
            for (int page = 0; page < 100; page++) {
                JsonNode events = sidecar.get("/api/events?limit=4" + (cursor == null ? "" : "&cursor=" + cursor))
                        .json();
                if (events.isEmpty()) {
                    break;
                }
                assertThat(ids(events), is(ids(sidecar.get("/api/events?limit=4&offset=" + walked.size()).json())));
                walked.addAll(ids(events));
                JsonNode last = events.get(events.size() - 1);
                cursor = last.get("timestamp").asText() + "," + last.get("sequence").asLong();
            }
            assertThat(walked, is(all));
            String sessionCursor = sidecar.get("/api/events?limit=3&session_id=cur-1").json().get(2)
                    .get("timestamp").asText() + "," + sidecar.get("/api/events?limit=3&session_id=cur-1").json()
                    .get(2).get("sequence").asLong();
            assertThat(ids(sidecar.get("/api/events?limit=3&session_id=cur-1&cursor=" + sessionCursor).json()),
                       is(ids(sidecar.get("/api/events?limit=3&session_id=cur-1&offset=3").json())));
        }
    }

    @Test
    void malformedCursor_is400_namingTheParameter() {
        try (TestSidecar sidecar = TestSidecar.start()) {
            TestSidecar.Response r = sidecar.get("/api/events?cursor=yesterday,1");
            assertThat(r.status(), is(400));
            assertThat(r.json().get("error").asText(), is("invalid_parameter"));
            assertThat(r.json().get("detail").asText().startsWith("'cursor'"), is(true));
        }
    }

    private static List<String> ids(JsonNode events) {
        List<String> ids = new ArrayList<>();
        events.forEach(e -> ids.add(e.get("event_id").asText()));
        return ids;
    }
}
