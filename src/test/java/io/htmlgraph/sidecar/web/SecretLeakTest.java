package io.htmlgraph.sidecar.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.htmlgraph.sidecar.Hooks;
import io.htmlgraph.sidecar.TestSidecar;
import io.htmlgraph.sidecar.ingest.SecretCorpus;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

/**
 * Posts a corpus of realistic secrets through every write route and checks that none of them comes back: not from
 * the read API, the export, the features, the WebSocket stream, the metrics, nor the log.
 */
class SecretLeakTest {
    private static final List<String> SESSIONS = List.of("leak-hooks", "leak-named", "leak-envelopes", "leak-spawner");

    @Test
    void noSecretOfTheCorpus_comesBackThroughAnyRoute_theStream_orTheLog() throws Exception {
        List<SecretCorpus.Case> cases = SecretCorpus.cases();
        assertThat(cases.size(), greaterThanOrEqualTo(100));
        LogCapture log = LogCapture.install();
        try (TestSidecar sidecar = TestSidecar.start(); Stream stream = Stream.open(sidecar)) {
            assertThat(sidecar.post("/api/hooks", hooks("leak-hooks", cases)).status(), is(200));
            assertThat(sidecar.post("/api/hooks/UserPromptSubmit", prompts("leak-named", cases)).status(), is(200));
            assertThat(sidecar.post("/events", envelopes(cases)).status(), is(200));
            assertThat(sidecar.post("/api/spawner-events", spawnerEvents(cases)).status(), is(200));
            for (int i = 0; i < cases.size(); i++) {
                ObjectNode feature = TestSidecar.JSON.createObjectNode().put("title", "feature " + i)
                        .put("description", cases.get(i).text());
                assertThat(sidecar.post("/api/features", feature.toString()).status(), is(201));
            }
            sidecar.post("/api/hooks", "{\"session_id\":\"s\",\"hook_event_name\":\"" + cases.get(0).text() + "\"}");
            StringBuilder seen = new StringBuilder();
            seen.append(sidecar.get("/api/events?limit=1000").body());
            for (String session : SESSIONS) {
                seen.append(sidecar.get("/api/export?format=json&session_id=" + session).body());
                seen.append(sidecar.get("/api/sessions/" + session).body());
            }
            seen.append(sidecar.get("/api/features?limit=500").body());
            seen.append(sidecar.get("/api/spawner-activities?limit=1000").body());
            seen.append(sidecar.get("/api/events-grouped-by-prompt?limit=200").body());
            seen.append(sidecar.get("/api/complete-activity-feed?limit=1000").body());
            long last = sidecar.get("/api/stream").json().get("sequence").asLong();
            String streamed = stream.textUpTo("\"sequence\":" + last);
            assertThat(streamed.contains("leak-spawner") && streamed.contains("leak-envelopes"), is(true));
            seen.append(streamed);
            seen.append(sidecar.scrape());
            seen.append(log.text());
            assertThat(seen.length() > 100_000, is(true));
            List<String> leaked = cases.stream().filter(c -> seen.indexOf(c.secret()) >= 0).map(c -> c.text())
                    .toList();
            assertThat("leaked: " + leaked, leaked, empty());
        } finally {
            log.close();
        }
    }

    @Test
    void aTokenSentAsAnIdOrName_isStoredMasked_andNeverBecomesAMetricLabel() throws Exception {
        String token = "ghp_" + "Ab3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6";
        try (TestSidecar sidecar = TestSidecar.start()) {
            ObjectNode start = Hooks.base(token, "SessionStart").put("source", "startup");
            ObjectNode pre = Hooks.pre(token, "Bash", token, Hooks.bash("ls")).put("prompt_id", token)
                    .put("agent_id", token).put("agent_type", token);
            pre.putObject("tool_response").put(token, "value");
            assertThat(sidecar.post("/api/hooks", "[" + start + "," + pre + "]").status(), is(200));
            assertThat(sidecar.post("/events", "{\"source_app\":\"" + token + "\",\"session_id\":\"" + token
                    + "\",\"hook_event_type\":\"" + token + "\",\"payload\":{}}").status(), is(200));
            assertThat(sidecar.post("/api/spawner-events", "{\"event_type\":\"spawner_start\",\"spawner_type\":\""
                    + token + "\",\"session_id\":\"" + token + "\",\"data\":{\"run_id\":\"" + token + "\"}}")
                    .status(), is(200));
            assertThat(sidecar.post("/api/hooks", Hooks.prompt("by-header", "x"), "Content-Type", "application/json",
                                    "X-Htmlgraph-Feature", token).status(), is(200));
            assertThat(sidecar.post("/api/spawner-events", "{\"event_type\":\"spawner_start\",\"spawner_type\":"
                    + "\"gemini\",\"session_id\":\"by-header\",\"data\":{}}", "Content-Type", "application/json",
                    "X-Htmlgraph-Feature", token).status(), is(200));
            String seen = sidecar.get("/api/events?limit=1000").body() + sidecar.get("/api/sessions").body()
                    + sidecar.get("/api/export?format=json&session_id=by-header").body()
                    + sidecar.get("/api/spawner-activities").body() + sidecar.get("/api/initial-stats").body()
                    + sidecar.scrape();
            assertThat(seen.contains("masked-"), is(true));
            assertThat(seen.contains(token), is(false));
        }
    }

    private static String hooks(String session, List<SecretCorpus.Case> cases) {
        ArrayNode events = TestSidecar.JSON.createArrayNode();
        for (int i = 0; i < cases.size(); i++) {
            String text = cases.get(i).text();
            events.add(Hooks.pre(session, "Bash", "toolu_" + i, Hooks.bash(text)));
            events.add(Hooks.post(session, "Bash", "toolu_" + i, Hooks.bash("cat config"), 12, text));
        }
        return events.toString();
    }

    private static String prompts(String session, List<SecretCorpus.Case> cases) {
        StringBuilder ndjson = new StringBuilder();
        for (SecretCorpus.Case c : cases) {
            ndjson.append(Hooks.base(session, "UserPromptSubmit").put("prompt", c.text())).append('\n');
        }
        return ndjson.toString();
    }

    private static String envelopes(List<SecretCorpus.Case> cases) {
        ArrayNode envelopes = TestSidecar.JSON.createArrayNode();
        for (SecretCorpus.Case c : cases) {
            ObjectNode envelope = envelopes.addObject().put("source_app", "app").put("session_id", "leak-envelopes")
                    .put("hook_event_type", "Notification");
            envelope.putObject("payload").put("message", c.text()).put("notification_type", "idle_prompt");
        }
        return envelopes.toString();
    }

    private static String spawnerEvents(List<SecretCorpus.Case> cases) {
        ArrayNode events = TestSidecar.JSON.createArrayNode();
        for (int i = 0; i < cases.size(); i++) {
            ObjectNode event = events.addObject().put("event_type", "spawner_start").put("spawner_type", "gemini")
                    .put("session_id", "leak-spawner");
            event.putObject("data").put("run_id", "run-" + i).put("prompt_preview", cases.get(i).text())
                    .put("error", cases.get(i).text());
        }
        return events.toString();
    }

    /** Every record logged while the test runs, with its stack trace. */
    private static final class LogCapture extends Handler implements AutoCloseable {
        private final StringBuilder text = new StringBuilder();

        static LogCapture install() {
            LogCapture capture = new LogCapture();
            Logger.getLogger("").addHandler(capture);
            return capture;
        }

        @Override
        public synchronized void publish(LogRecord record) {
            text.append(record.getMessage()).append(' ').append(java.util.Arrays.toString(record.getParameters()));
            for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
                text.append(t).append('\n');
            }
        }

        synchronized String text() {
            return text.toString();
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            Logger.getLogger("").removeHandler(this);
        }
    }

    /** A WebSocket client of {@code /ws/events} keeping the raw text it receives. */
    private static final class Stream implements WebSocket.Listener, AutoCloseable {
        private final StringBuilder text = new StringBuilder();
        private final HttpClient http = HttpClient.newHttpClient();
        private WebSocket socket;

        static Stream open(TestSidecar sidecar) throws Exception {
            Stream stream = new Stream();
            URI uri = URI.create(sidecar.uri("/ws/events").toString().replaceFirst("^http", "ws"));
            stream.socket = stream.http.newWebSocketBuilder().buildAsync(uri, stream).get(5, TimeUnit.SECONDS);
            return stream;
        }

        @Override
        public synchronized CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            webSocket.request(1);
            return null;
        }

        /** The text received once it holds {@code marker} (the hub's last sequence: all before it came too). */
        String textUpTo(String marker) throws InterruptedException {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < deadline) {
                synchronized (this) {
                    if (text.indexOf(marker) >= 0) {
                        return text.toString();
                    }
                }
                Thread.sleep(20);
            }
            throw new AssertionError("the stream never sent " + marker);
        }

        @Override
        public void close() {
            socket.abort();
            http.close();
        }
    }
}
