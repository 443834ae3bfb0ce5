package io.htmlgraph.sidecar.web;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.htmlgraph.sidecar.Api;
import io.htmlgraph.sidecar.Hooks;
import io.htmlgraph.sidecar.WiredRoutes;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * {@code /api/events?cursor=}: keyset pages give the same events as offsets, in order, without gaps or repeats. The
 * production routing without a socket (Helidon's {@code @RoutingTest}).
 */
@RoutingTest
class EventCursorTest extends WiredRoutes {

    EventCursorTest(DirectClient http) {
        super(http);
    }

    @Test
    void cursorPages_walkTheSameEventsAsOffsetPages() {
        for (int s = 0; s < 2; s++) {
            String session = "cur-" + s;
            Api.hooks(http, Hooks.prompt(session, "go"));
            for (int i = 0; i < 6; i++) {
                String id = session + "-" + i;
                Api.hooks(http, Hooks.pre(session, "Bash", id, Hooks.bash("ls")).toString(),
                          Hooks.post(session, "Bash", id, Hooks.bash("ls"), 5, "ok").toString());
            }
            Api.hooks(http, Hooks.stop(session, "done"));
        }
        List<String> all = ids(Api.get(http, "/api/events?limit=1000"));
        List<String> walked = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 100; page++) {
            JsonNode events = Api.get(http, "/api/events?limit=4" + (cursor == null ? "" : "&cursor=" + cursor));
            if (events.isEmpty()) {
                break;
            }
            assertThat(ids(events), is(ids(Api.get(http, "/api/events?limit=4&offset=" + walked.size()))));
            walked.addAll(ids(events));
            JsonNode last = events.get(events.size() - 1);
            cursor = last.get("timestamp").asText() + "," + last.get("sequence").asLong();
        }
        assertThat(walked, is(all));
        String sessionCursor = Api.get(http, "/api/events?limit=3&session_id=cur-1").get(2)
                .get("timestamp").asText() + "," + Api.get(http, "/api/events?limit=3&session_id=cur-1")
                .get(2).get("sequence").asLong();
        assertThat(ids(Api.get(http, "/api/events?limit=3&session_id=cur-1&cursor=" + sessionCursor)),
                   is(ids(Api.get(http, "/api/events?limit=3&session_id=cur-1&offset=3"))));
    }

    @Test
    void malformedCursor_is400_namingTheParameter() {
        Api.Answer r = Api.answer(http, "/api/events?cursor=yesterday,1");
        assertThat(r.status().code(), is(400));
        assertThat(r.json().get("error").asText(), is("invalid_parameter"));
        assertThat(r.json().get("detail").asText().startsWith("'cursor'"), is(true));
    }

    private static List<String> ids(JsonNode events) {
        List<String> ids = new ArrayList<>();
        events.forEach(e -> ids.add(e.get("event_id").asText()));
        return ids;
    }
}
