package io.htmlgraph.sidecar.demo;

import java.util.Map;

import io.htmlgraph.sidecar.TestSidecar;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class DemoDataTest {
    @Test
    void demoOption_fillsSessionsWithPromptsFailuresDelegationsAndSpawnerRuns_once() {
        try (TestSidecar sidecar = TestSidecar.start(Map.of("demo", "true"))) {
            assertThat(sidecar.value("SELECT count(*) FROM sessions"), is(4));
            assertThat(sidecar.value("SELECT count(*) FROM agent_events WHERE tool_name = 'UserQuery'"
                                     + " AND status = 'completed'"), is(10));
            assertThat(sidecar.value("SELECT count(*) FROM agent_events WHERE status = 'error' AND tool_name = 'Bash'"),
                       is(2));
            assertThat(sidecar.value("SELECT count(*) FROM agent_collaboration WHERE status = 'completed'"), is(4));
            assertThat(sidecar.value("SELECT count(*) FROM agent_events WHERE spawner_type IS NOT NULL"), is(4));
            assertThat(sidecar.value("SELECT count(*) FROM session_agents WHERE waiting_reason = 'permission'"), is(1));
            assertThat(sidecar.get("/api/sessions?status=ended").json().get("total").asInt(), is(2));
        }
    }
}
