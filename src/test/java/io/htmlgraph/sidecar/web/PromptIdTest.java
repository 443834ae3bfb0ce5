package io.htmlgraph.sidecar.web;

import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.htmlgraph.sidecar.Api;
import io.htmlgraph.sidecar.Hooks;
import io.htmlgraph.sidecar.WiredRoutes;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * A {@code prompt_id} names a turn within its session: the same id in another session is another turn. The
 * production routing without a socket (Helidon's {@code @RoutingTest}).
 */
@RoutingTest
class PromptIdTest extends WiredRoutes {

    PromptIdTest(DirectClient http) {
        super(http);
    }

    @Test
    void aPromptIdSeenInAnotherSession_startsATurnInThisOne_andARedeliveryInTheSameSessionDoesNot() {
        for (String session : new String[] {"s-first", "s-second", "s-second"}) {
            Api.hooks(http, Hooks.base(session, "UserPromptSubmit").put("prompt", "hi")
                    .put("prompt_id", "p-shared").toString());
        }
        int turns = 0;
        for (var event : Api.get(http, "/api/events?limit=1000")) {
            turns += "UserQuery".equals(event.get("tool_name").asText()) ? 1 : 0;
        }
        assertThat(turns, is(2));
        assertThat(Api.get(http, "/api/sessions/s-first").get("totals").get("turns").asInt(), is(1));
        assertThat(Api.get(http, "/api/sessions/s-second").get("totals").get("turns").asInt(), is(1));
    }
}
