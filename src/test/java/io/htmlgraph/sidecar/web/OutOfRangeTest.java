package io.htmlgraph.sidecar.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.Status;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.htmlgraph.sidecar.Api;
import io.htmlgraph.sidecar.WiredRoutes;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/**
 * Numbers out of range and broken UTF-16 are the client's mistake: 400 or clamped, never 500 or a date in 1143.
 * The production routing served without a socket (Helidon's {@code @RoutingTest}), on a real SQLite file.
 */
@RoutingTest
class OutOfRangeTest extends WiredRoutes {
    private static final String POST_WITHOUT_PRE = "{\"session_id\":\"%s\",\"hook_event_name\":\"PostToolUse\","
            + "\"tool_name\":\"Bash\",\"tool_use_id\":\"%s\",\"tool_input\":{\"command\":\"ls\"},\"duration_ms\":%s}";

    OutOfRangeTest(DirectClient http) {
        super(http);
    }

    @Test
    void negativeOrInfiniteDurations_areRefused_andHugeOnesClampedToThirtyDays() {
        long stored = Api.storedEvents(http);
        for (String bad : new String[] {"-1e400", "-9.3e18", "-1", "-86400000", "1e400", "\"5\""}) {
            Api.Answer answer = Api.post(http, "/api/hooks", POST_WITHOUT_PRE.formatted("s-n", "t", bad));
            assertThat(bad, answer.status(), is(Status.BAD_REQUEST_400));
        }
        assertThat(Api.storedEvents(http), is(stored));
        String[] huge = {"1e14", "9223372036854775807", "99999999999999999999999"};
        for (int i = 0; i < huge.length; i++) {
            assertThat(Api.post(http, "/api/hooks", POST_WITHOUT_PRE.formatted("s-n", "t" + i, huge[i])).status(),
                       is(Status.OK_200));
        }
        JsonNode events = Api.get(http, "/api/events?session_id=s-n");
        assertThat(events.size(), is(3));
        for (JsonNode event : events) {
            String timestamp = event.get("timestamp").asText();
            assertThat(timestamp, Integer.parseInt(timestamp.substring(0, 4)), greaterThanOrEqualTo(2020));
            double seconds = event.get("execution_duration_seconds").asDouble();
            assertThat(seconds, greaterThanOrEqualTo(0.0));
            assertThat(seconds, lessThanOrEqualTo(30 * 86400.0));
        }
    }

    @Test
    void spawnerNumbersOutOfRange_areRefused() {
        long stored = Api.storedEvents(http);
        String event = "{\"event_type\":\"spawner_complete\",\"spawner_type\":\"gemini\",\"session_id\":\"s-spawn\","
                       + "\"data\":{%s}}";
        for (String data : new String[] {"\"duration_seconds\":-5", "\"duration_seconds\":1e400",
                                         "\"tokens_used\":1e30", "\"input_tokens\":99999999999999999999",
                                         "\"cost_usd\":-1", "\"output_tokens\":-3"}) {
            assertThat(data, Api.post(http, "/api/spawner-events", event.formatted(data)).status(),
                       is(Status.BAD_REQUEST_400));
        }
        assertThat(Api.storedEvents(http), is(stored));
        assertThat(Api.get(http, "/api/events?session_id=s-spawn").size(), is(0));
    }

    @Test
    void idsWithLoneSurrogates_areRefused_soTwoIdsCannotCollide() {
        for (String id : new String[] {"a\\ud800", "a\\udc00b", "\\ud83d"}) {
            String body = "{\"session_id\":\"" + id + "\",\"hook_event_name\":\"UserPromptSubmit\",\"prompt\":\"x\"}";
            assertThat(id, Api.post(http, "/api/hooks", body).status(), is(Status.BAD_REQUEST_400));
            String tool = POST_WITHOUT_PRE.formatted("s-u", id, "5");
            assertThat(id, Api.post(http, "/api/hooks", tool).status(), is(Status.BAD_REQUEST_400));
        }
        String pair = "{\"session_id\":\"a\\ud83d\\ude00\","
                      + "\"hook_event_name\":\"UserPromptSubmit\",\"prompt\":\"x\"}";
        assertThat(Api.post(http, "/api/hooks", pair).status(), is(Status.OK_200));
    }

    @Test
    void idsWithControlCharacters_areRefused_andPrintableOnesKept() {
        for (String id : new String[] {"a\\u0001", "a\\u001fb", "a\\u007f", "\\u0085x", "a\\tb"}) {
            String body = "{\"session_id\":\"" + id + "\",\"hook_event_name\":\"UserPromptSubmit\",\"prompt\":\"x\"}";
            assertThat(id, Api.post(http, "/api/hooks", body).status(), is(Status.BAD_REQUEST_400));
        }
        String printable = "{\"session_id\":\" !~é-\\u00a0x\","
                           + "\"hook_event_name\":\"UserPromptSubmit\",\"prompt\":\"x\"}";
        assertThat(Api.post(http, "/api/hooks", printable).status(), is(Status.OK_200));
    }
}
