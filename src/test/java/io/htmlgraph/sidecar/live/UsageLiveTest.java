package io.htmlgraph.sidecar.live;

import com.fasterxml.jackson.databind.JsonNode;
import io.htmlgraph.sidecar.Hooks;
import io.htmlgraph.sidecar.TestSidecar;
import io.htmlgraph.sidecar.otlp.Otlp;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.is;

/** Usage that arrives after its turn updates the turn live. */
class UsageLiveTest {
    @Test
    void usageArrivingAfterTheTurn_pushesTheTurnAgain_withItsCost() throws Exception {
        try (TestSidecar s = TestSidecar.start(); WsClient ws = WsClient.connect(s, "")) {
            s.hooks(Hooks.base("w-s", "UserPromptSubmit").put("prompt", "Go").put("prompt_id", "p-w").toString());
            JsonNode first = ws.next();
            assertThat(first.get("tool_name").asText(), is("UserQuery"));
            assertThat(first.get("usage").isNull(), is(true));
            s.post("/v1/logs", new Otlp().apiRequest("w-s", "p-w", "req_w1", "claude-opus-4-5", 10, 5, 0, 0, 0.75)
                    .json());
            JsonNode again = ws.next();
            assertThat(again.get("event_id").asText(), is(first.get("event_id").asText()));
            assertThat(again.get("cost_usd").asDouble(), closeTo(0.75, 1e-9));
            assertThat(again.get("usage").get("cost_source").asText(), is("telemetry"));
            assertThat(again.get("sequence").asLong() > first.get("sequence").asLong(), is(true));
        }
    }
}
