package io.htmlgraph.sidecar.ops;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.htmlgraph.sidecar.Hooks;
import io.htmlgraph.sidecar.TestSidecar;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/** Turns without Stop end as interrupted; last-active times are event times for every source. */
class TruthfulFiguresTest {
    @Test
    void turnWithoutStop_endsInterrupted_whenTheNextPromptArrives_lastingUpToItsLastEvent() throws Exception {
        try (TestSidecar sidecar = TestSidecar.start()) {
            sidecar.hooks(Hooks.prompt("s-int", "first"));
            sidecar.hooks(Hooks.pre("s-int", "Bash", "tu-1", Hooks.bash("sleep 1")).toString());
            Thread.sleep(300);
            sidecar.hooks(Hooks.post("s-int", "Bash", "tu-1", Hooks.bash("sleep 1"), 300, "").toString());
            Thread.sleep(300); // the user thinks, then types the next prompt: no Stop came
            sidecar.hooks(Hooks.prompt("s-int", "second"));
            JsonNode first = turn(sidecar, "s-int", "first");
            assertThat(first.get("status").asText(), is("interrupted"));
            double lastEvent = (Instant.parse(sidecar.value("SELECT ended_at FROM agent_events WHERE tool_use_id"
                    + " = 'tu-1'").toString()).toEpochMilli() - Instant.parse(first.get("timestamp").asText())
                    .toEpochMilli()) / 1000.0;
            assertThat(first.get("execution_duration_seconds").asDouble(), closeTo(lastEvent, 0.002));
            assertThat(turn(sidecar, "s-int", "second").get("status").asText(), is("started"));
            String metrics = sidecar.scrape();
            assertThat(metrics, containsString("htmlgraph_turns{status=\"interrupted\"} 1.0"));
            assertThat(metrics, containsString("htmlgraph_turns{status=\"started\"} 1.0"));
        }
    }

    @Test
    void turnWithoutStop_endsInterrupted_afterIdleAfter_andALateStopStillCompletesIt() throws Exception {
        try (TestSidecar sidecar = TestSidecar.start(Map.of("idle-after", "1s"))) {
            sidecar.hooks(Hooks.prompt("s-idle", "quiet"));
            Thread.sleep(1200);
            sidecar.sidecar().upkeep().runNow();
            assertThat(turn(sidecar, "s-idle", "quiet").get("status").asText(), is("interrupted"));
            assertThat(turn(sidecar, "s-idle", "quiet").get("execution_duration_seconds").asDouble(), is(0.0));
            sidecar.hooks(Hooks.stop("s-idle", "done after all"));
            assertThat(turn(sidecar, "s-idle", "quiet").get("status").asText(), is("completed"));
        }
    }

    @Test
    void spawnerLastActive_isTheRunsEventTime_notWhenTheDemoWroteTheRows() {
        try (TestSidecar sidecar = TestSidecar.start(Map.of("demo", "true"))) {
            String metrics = sidecar.scrape();
            for (String type : new String[] {"codex", "copilot", "gemini"}) {
                Instant last = Instant.parse(sidecar.value("SELECT max(max(coalesce(ended_at, timestamp)),"
                        + " (SELECT max(last_at) FROM event_counts WHERE agent_id = '" + type + "'))"
                        + " FROM agent_events WHERE spawner_type = '" + type + "'").toString());
                assertThat(type, metrics, containsString("htmlgraph_agent_last_active_timestamp_seconds{agent=\""
                        + type + "\"} " + last.toEpochMilli() / 1000.0));
                assertThat("the demo's runs happened before it was loaded", last.isBefore(Instant.now()
                        .minusSeconds(60)), is(true));
            }
        }
    }

    private static JsonNode turn(TestSidecar sidecar, String session, String prompt) {
        for (JsonNode event : sidecar.get("/api/events?session_id=" + session).json()) {
            if ("UserQuery".equals(event.get("tool_name").asText()) && event.get("input_summary").asText()
                    .contains(prompt)) {
                return event;
            }
        }
        throw new AssertionError("no turn '" + prompt + "' in " + sidecar.get("/api/events?session_id=" + session));
    }
}
