package io.htmlgraph.sidecar.live;

import java.net.http.WebSocketHandshakeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.htmlgraph.sidecar.TestSidecar;
import org.junit.jupiter.api.Test;

import static io.htmlgraph.sidecar.Hooks.bash;
import static io.htmlgraph.sidecar.Hooks.post;
import static io.htmlgraph.sidecar.Hooks.pre;
import static io.htmlgraph.sidecar.Hooks.prompt;
import static io.htmlgraph.sidecar.Hooks.stop;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The live stream over real WebSocket clients against a real sidecar. */
class LiveStreamTest {
    @Test
    void everyClient_receivesEveryChange_onceAndInCommitOrder_includingUpdatesAndSpawnerEvents() throws Exception {
        try (TestSidecar sidecar = TestSidecar.start();
             WsClient a = WsClient.connect(sidecar, ""); WsClient b = WsClient.connect(sidecar, "");
             WsClient c = WsClient.connect(sidecar, "")) {
            sidecar.hooks(prompt("s-live", "go"), pre("s-live", "Bash", "l-1", bash("make")).toString(),
                    post("s-live", "Bash", "l-1", bash("make"), 20, "ok").toString(), stop("s-live", "done"));
            sidecar.post("/api/spawner-events", "{\"event_type\":\"spawner_start\",\"spawner_type\":\"gemini\","
                                                 + "\"session_id\":\"s-live\",\"data\":{\"prompt_preview\":\"p\"}}");
            List<String> seen = summary(a.until(LiveStreamTest::isSpawnerEvent));
            // A row changed twice between two pushes arrives once, in its latest state: the view converges.
            assertThat(seen.subList(seen.size() - 2, seen.size()),
                       contains("event Spawner running", "spawner_event spawner_start gemini"));
            assertThat(seen.contains("event Bash success") && seen.contains("event UserQuery completed")
                       && seen.contains("event Stop recorded"), is(true));
            assertThat(seen.indexOf("event Bash success"), lessThan(seen.indexOf("event Stop recorded")));
            assertThat(summary(b.until(LiveStreamTest::isSpawnerEvent)), is(seen));
            assertThat(summary(c.until(LiveStreamTest::isSpawnerEvent)), is(seen));
            assertThat(sidecar.get("/api/stream").json().get("connected_clients").asInt(), is(3));
        }
    }

    @Test
    void aNewClient_getsTheLatestEntriesFirst() throws Exception {
        try (TestSidecar sidecar = TestSidecar.start(Map.of("ws-backlog", "2"))) {
            sidecar.hooks(prompt("s-back", "one"), prompt("s-back", "two"), prompt("s-back", "three"));
            try (WsClient client = WsClient.open(sidecar, "", null)) {
                List<JsonNode> backlog = client.awaitReady();
                assertThat(backlog.size(), is(3));
                assertThat(backlog.get(0).get("input_summary").asText(), is("two"));
                assertThat(backlog.get(1).get("input_summary").asText(), is("three"));
            }
        }
    }

    @Test
    void aClientConnectingRightAfterAWrite_findsItInItsBacklog_andNotAgainLive() throws Exception {
        try (TestSidecar sidecar = TestSidecar.start(); WsClient steady = WsClient.connect(sidecar, "")) {
            for (int i = 0; i < 30; i++) {
                sidecar.hooks(prompt("s-ryw", "write " + i));
                try (WsClient client = WsClient.open(sidecar, "", null)) {
                    List<JsonNode> backlog = client.awaitReady();
                    JsonNode last = backlog.get(backlog.size() - 2);
                    assertThat("write " + i + " is the newest entry of the backlog",
                               last.path("input_summary").asText(), is("write " + i));
                    sidecar.hooks(prompt("s-marker-" + i, "marker " + i)); // another session: the turn stays as is
                    assertThat("nothing of the backlog comes again after ready",
                               client.next().path("input_summary").asText(), is("marker " + i));
                }
            }
        }
    }

    @Test
    void aClientWhoseBacklogCannotBeRead_isToldToTryAgainLater_andGivesItsPlaceBack() throws Exception {
        try (TestSidecar sidecar = TestSidecar.start(Map.of("ws-max-clients", "1"))) {
            sidecar.hooks(prompt("s-unread", "kept"));
            sidecar.execute("ALTER TABLE live_events RENAME TO live_events_away"); // the backlog's read fails
            try (WsClient refused = WsClient.open(sidecar, "", null)) {
                assertThat(refused.closed().get(5, TimeUnit.SECONDS),
                           is("1013 the live stream could not read its backlog; reconnect"));
            }
            sidecar.execute("ALTER TABLE live_events_away RENAME TO live_events");
            try (WsClient next = WsClient.open(sidecar, "", null)) {
                assertThat(prompts(next.awaitReady()), contains("kept", "ready"));
            }
        }
    }

    @Test
    void aReconnectingClient_resumesFromItsLastSequence_withoutLossOrDuplicates() throws Exception {
        try (TestSidecar sidecar = TestSidecar.start(); WsClient steady = WsClient.connect(sidecar, "")) {
            long last;
            try (WsClient flaky = WsClient.connect(sidecar, "")) {
                // one session per prompt: a next prompt in the same session would end the open turn as interrupted
                sidecar.hooks(prompt("s-resume-1", "before"));
                last = flaky.next().get("sequence").asLong();
            }
            sidecar.hooks(prompt("s-resume-2", "while away"), prompt("s-resume-3", "also away"));
            try (WsClient back = WsClient.open(sidecar, "?since=" + last, null)) {
                List<String> resumed = new ArrayList<>(prompts(back.awaitReady()));
                sidecar.hooks(prompt("s-resume-4", "after"));
                resumed.addAll(prompts(back.until(m -> "after".equals(text(m, "input_summary")))));
                assertThat(resumed, contains("while away", "also away", "ready", "after"));
            }
            assertThat(prompts(steady.until(m -> "after".equals(text(m, "input_summary")))),
                       contains("before", "while away", "also away", "after"));
        }
    }

    @Test
    void whatCommitsWhileNoClientIsConnected_movesTheSequence_andAClientJoiningLaterGetsItOnceThenLive()
            throws Exception {
        try (TestSidecar sidecar = TestSidecar.start()) {
            sidecar.hooks(prompt("s-alone-1", "first"));
            long first = sidecar.get("/api/stream").json().get("sequence").asLong();
            sidecar.hooks(prompt("s-alone-2", "second"), prompt("s-alone-3", "third"));
            long third = sidecar.get("/api/stream").json().get("sequence").asLong();
            assertThat("the sequence a page starts its stream from follows the commits", third, greaterThan(first));
            try (WsClient since = WsClient.open(sidecar, "?since=" + first, null);
                 WsClient fresh = WsClient.open(sidecar, "", null)) {
                assertThat(prompts(since.awaitReady()), contains("second", "third", "ready"));
                List<String> backlog = prompts(fresh.awaitReady());
                assertThat(backlog.subList(backlog.size() - 4, backlog.size()),
                           contains("first", "second", "third", "ready"));
                sidecar.hooks(prompt("s-alone-4", "live"));
                assertThat(prompts(since.until(m -> "live".equals(text(m, "input_summary")))), contains("live"));
                assertThat(prompts(fresh.until(m -> "live".equals(text(m, "input_summary")))), contains("live"));
            }
        }
    }

    @Test
    void aStalledClient_isDroppedAndCounted_whileOthersKeepUp() throws Exception {
        try (TestSidecar sidecar = TestSidecar.start(Map.of("ws-queue", "500"));
             StalledClient stalled = new StalledClient(sidecar.uri("/").getPort());
             WsClient reader = WsClient.connect(sidecar, "")) {
            int batches = 100;
            for (int i = 0; i < batches; i++) {
                StringBuilder batch = new StringBuilder();
                for (int j = 0; j < 100; j++) {
                    // a session per batch: no prompt ends (updates) a turn stored by an earlier batch
                    batch.append(prompt("s-stall-" + i, "prompt " + i + "-" + j + " " + "x".repeat(400)))
                            .append('\n');
                }
                assertThat(sidecar.post("/api/hooks", batch.toString(), "Content-Type", "application/x-ndjson")
                        .status(), is(200));
            }
            List<JsonNode> received = reader.until(m -> text(m, "input_summary").startsWith("prompt 99-99 "));
            assertThat(received.size(), is(batches * 100));
            JsonNode stream = sidecar.get("/api/stream").json();
            assertThat(stream.get("dropped_clients").asInt(), is(1));
            assertThat(stream.get("connected_clients").asInt(), is(1));
        }
    }

    @Test
    void upgradesFromAForeignOrigin_areRefused_andTheOwnOriginIsAccepted() throws Exception {
        try (TestSidecar sidecar = TestSidecar.start()) {
            ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> WsClient.open(sidecar, "", "http://evil.example"));
            assertThat(((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode(),
                       greaterThan(399));
            String own = "http://" + sidecar.uri("/").getAuthority();
            try (WsClient client = WsClient.open(sidecar, "", own)) {
                assertThat(client.awaitReady().size(), greaterThan(0));
            }
        }
    }

    @Test
    void withAReadToken_theStreamNeedsIt() throws Exception {
        try (TestSidecar sidecar = TestSidecar.start(Map.of("read-token", "r-secret"))) {
            assertThrows(ExecutionException.class, () -> WsClient.open(sidecar, "", null));
            try (WsClient client = WsClient.open(sidecar, "?token=r-secret", null)) {
                assertThat(client.awaitReady().size(), is(1));
            }
        }
    }

    private static boolean isSpawnerEvent(JsonNode m) {
        return "spawner_event".equals(m.get("type").asText());
    }

    private static String text(JsonNode m, String field) {
        return m.hasNonNull(field) ? m.get(field).asText() : "";
    }

    private static List<String> summary(List<JsonNode> messages) {
        List<String> out = new ArrayList<>();
        long previous = -1;
        for (JsonNode m : messages) {
            String type = m.get("type").asText();
            if (type.equals("ready")) {
                continue;
            }
            assertThat(m.get("sequence").asLong(), greaterThan(previous));
            previous = m.get("sequence").asLong();
            out.add(type.equals("event") ? "event " + m.get("tool_name").asText() + " " + m.get("status").asText()
                    : "spawner_event " + m.get("event_type").asText() + " " + m.get("spawner_type").asText());
        }
        return out;
    }

    private static List<String> prompts(List<JsonNode> messages) {
        List<String> out = new ArrayList<>();
        messages.forEach(m -> out.add("ready".equals(m.get("type").asText()) ? "ready" : text(m, "input_summary")));
        return out;
    }
}
