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
            cursor = cursorAfter(events);
        }
        assertThat(walked, is(all));
        String sessionCursor = cursorAfter(Api.get(http, "/api/events?limit=3&session_id=cur-1"));
        assertThat(ids(Api.get(http, "/api/events?limit=3&session_id=cur-1&cursor=" + sessionCursor)),
                   is(ids(Api.get(http, "/api/events?limit=3&session_id=cur-1&offset=3"))));
    }

    /**
     * A batch's events share one timestamp, and a call's finish changes its {@code sequence}: the next page must still
     * hold a call that finished after the first page was read (keyed by the sequence, it moved above the cursor).
     */
    @Test
    void callFinishingBetweenPageReads_isOnTheNextPage() {
        String session = "cur-tie";
        StringBuilder batch = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            batch.append(Hooks.pre(session, "Bash", session + "-" + i, Hooks.bash("ls " + i))).append('\n');
        }
        Api.Answer stored = Api.post(http, "/api/hooks", batch.toString(), "application/x-ndjson");
        assertThat(stored.body(), stored.status().code(), is(200));
        List<String> all = ids(Api.get(http, "/api/events?limit=6&session_id=" + session));
        assertThat(Api.get(http, "/api/events?limit=6&session_id=" + session).get(5).get("timestamp"),
                   is(Api.get(http, "/api/events?limit=6&session_id=" + session).get(0).get("timestamp")));
        JsonNode first = Api.get(http, "/api/events?limit=3&session_id=" + session);
        String useId = Api.get(http, "/api/events?limit=6&session_id=" + session).get(3).get("tool_use_id").asText();
        Api.hooks(http, Hooks.post(session, "Bash", useId, Hooks.bash("ls"), 5, "ok").toString());
        JsonNode second = Api.get(http, "/api/events?limit=3&session_id=" + session + "&cursor=" + cursorAfter(first));
        List<String> walked = new ArrayList<>(ids(first));
        walked.addAll(ids(second));
        assertThat(walked, is(all));
    }

    /** A turn's calls of the same time stay in the order they were stored when one of them finishes. */
    @Test
    void treeChildrenOfTheSameTime_keepTheirOrder_whenOneFinishes() {
        String session = "tree-tie";
        Api.hooks(http, Hooks.prompt(session, "go"));
        StringBuilder batch = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            batch.append(Hooks.pre(session, "Bash", session + "-" + i, Hooks.bash("ls " + i))).append('\n');
        }
        assertThat(Api.post(http, "/api/hooks", batch.toString(), "application/x-ndjson").status().code(), is(200));
        List<String> before = childIds(session);
        assertThat(before.size(), is(4));
        Api.hooks(http, Hooks.post(session, "Bash", session + "-0", Hooks.bash("ls 0"), 5, "ok").toString());
        assertThat(childIds(session), is(before));
    }

    private List<String> childIds(String session) {
        return ids(Api.get(http, "/api/events-grouped-by-prompt?session_id=" + session)
                .get("conversation_turns").get(0).get("children"));
    }

    @Test
    void unknownEventInCursor_continuesWithOlderTimes() throws InterruptedException {
        Api.hooks(http, Hooks.prompt("cur-gone", "one"));
        Thread.sleep(5);
        Api.hooks(http, Hooks.prompt("cur-gone", "two"), Hooks.prompt("cur-gone", "three"));
        JsonNode events = Api.get(http, "/api/events?session_id=cur-gone");
        String newest = events.get(0).get("timestamp").asText();
        List<String> older = new ArrayList<>();
        events.forEach(e -> {
            if (e.get("timestamp").asText().compareTo(newest) < 0) {
                older.add(e.get("event_id").asText());
            }
        });
        assertThat(older.isEmpty(), is(false));
        assertThat(ids(Api.get(http, "/api/events?session_id=cur-gone&cursor=" + newest + ",evt-gone")), is(older));
    }

    @Test
    void malformedCursor_is400_namingTheParameter() {
        Api.Answer r = Api.answer(http, "/api/events?cursor=yesterday,1");
        assertThat(r.status().code(), is(400));
        assertThat(r.json().get("error").asText(), is("invalid_parameter"));
        assertThat(r.json().get("detail").asText().startsWith("'cursor'"), is(true));
        Api.Answer oldForm = Api.answer(http, "/api/events?cursor=2026-11-30T12:00:00.000Z,4242");
        assertThat(oldForm.status().code(), is(400));
        assertThat(oldForm.json().get("detail").asText().contains("event_id, no longer its sequence"), is(true));
    }

    /** The cursor of the page after {@code events}: its last event's time and id. */
    private static String cursorAfter(JsonNode events) {
        JsonNode last = events.get(events.size() - 1);
        return last.get("timestamp").asText() + "," + last.get("event_id").asText();
    }

    private static List<String> ids(JsonNode events) {
        List<String> ids = new ArrayList<>();
        events.forEach(e -> ids.add(e.get("event_id").asText()));
        return ids;
    }
}
