package io.htmlgraph.sidecar.web;

import io.htmlgraph.sidecar.Hooks;
import io.htmlgraph.sidecar.TestSidecar;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** A {@code prompt_id} names a turn within its session: the same id in another session is another turn. */
class PromptIdTest {
    @Test
    void aPromptIdSeenInAnotherSession_startsATurnInThisOne_andARedeliveryInTheSameSessionDoesNot() {
        try (TestSidecar sidecar = TestSidecar.start()) {
            for (String session : new String[] {"s-first", "s-second", "s-second"}) {
                sidecar.hooks(Hooks.base(session, "UserPromptSubmit").put("prompt", "hi")
                        .put("prompt_id", "p-shared").toString());
            }
            assertThat(sidecar.value("SELECT count(*) FROM agent_events WHERE tool_name = 'UserQuery'"), is(2));
            assertThat(sidecar.get("/api/sessions/s-second").status(), is(200));
            assertThat(sidecar.get("/api/sessions/s-second").json().get("totals").get("turns").asInt(), is(1));
        }
    }
}
