package io.htmlgraph.sidecar.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.htmlgraph.sidecar.TestSidecar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.htmlgraph.sidecar.Hooks.bash;
import static io.htmlgraph.sidecar.Hooks.notification;
import static io.htmlgraph.sidecar.Hooks.post;
import static io.htmlgraph.sidecar.Hooks.pre;
import static io.htmlgraph.sidecar.Hooks.prompt;
import static io.htmlgraph.sidecar.Hooks.sessionStart;
import static io.htmlgraph.sidecar.Hooks.stop;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

/**
 * Keyset pages ({@code cursor}) of the session list, the event list, a session's events and the spawner runs, on a
 * real server and store: walked while hooks arrive, they give every row that existed when the walk began exactly once
 * and in order (no repeats, no gaps), rows sharing a start time or timestamp included; with no writes they agree
 * with the offset pages htmlgraph's clients use.
 */
class KeysetWalkTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String BUSY = "s-walk-busy";
    private static TestSidecar sidecar;

    /** 36 sessions in 3 groups started at the same millisecond, each with a prompt and a notification at it too. */
    @BeforeAll
    static void sessionsSharingTheirStartTimes() {
        sidecar = TestSidecar.start();
        long base = Instant.now().minusSeconds(3600).toEpochMilli();
        for (int group = 0; group < 3; group++) {
            ArrayNode envelopes = F.arrayNode();
            for (int i = 0; i < 12; i++) {
                String session = "s-walk-" + group + "-" + i;
                for (String hook : List.of(sessionStart(session, "claude-sonnet-4-5"), prompt(session, "go " + i),
                                           notification(session, "idle_prompt", "waiting"))) {
                    envelopes.add(F.objectNode().put("source_app", "walk").put("session_id", session)
                            .put("hook_event_type", readTree(hook).get("hook_event_name").asText())
                            .put("timestamp", base + group * 1000L).set("payload", readTree(hook)));
                }
            }
            assertThat(sidecar.post("/events", envelopes.toString()).status(), is(200));
        }
        for (int i = 0; i < 12; i++) {
            spawnerRun("s-walk-spawn", List.of("gemini", "codex", "copilot").get(i % 3), "task " + i);
        }
        // three runs at each of four times: ties that only the event id orders
        sidecar.execute("UPDATE agent_events SET timestamp = '2020-01-01T10:00:0' || (rowid % 4) || '.000Z' "
                        + "WHERE session_id = 's-walk-spawn' AND spawner_type IS NOT NULL");
        sidecar.hooks(sessionStart(BUSY, "claude-sonnet-4-5"), prompt(BUSY, "many steps"));
        for (int i = 0; i < 30; i++) {
            sidecar.hooks(pre(BUSY, "Bash", "w-" + i, bash("step " + i)).toString(),
                          post(BUSY, "Bash", "w-" + i, bash("step " + i), 5, "ok").toString());
        }
    }

    @AfterAll
    static void close() {
        sidecar.close();
    }

    @Test
    void sessionList_cursorWalkWhileHooksArrive_givesEverySessionOnce() throws Exception {
        Function<JsonNode, JsonNode> rows = answer -> answer.get("sessions");
        Function<JsonNode, String> cursor = s -> s.get("started_at").asText() + "," + s.get("session_id").asText();
        List<String> before = ids(rows.apply(sidecar.get("/api/sessions?limit=500").json()), "session_id");
        List<String> walked = walkWhileWriting("/api/sessions?limit=5", rows, "session_id", cursor, before.get(0),
                                               rows.apply(sidecar.get("/api/sessions?limit=1").json()).get(0));
        assertThat(walked, is(before.subList(1, before.size())));
        assertThat(offsetPages("/api/sessions?limit=5", rows, "session_id"), is(cursorPages("/api/sessions?limit=5",
                rows, "session_id", cursor)));
    }

    @Test
    void eventList_cursorWalkWhileHooksArrive_givesEveryEventOnce() throws Exception {
        Function<JsonNode, String> cursor = e -> e.get("timestamp").asText() + "," + e.get("event_id").asText();
        List<String> before = ids(sidecar.get("/api/events?limit=1000").json(), "event_id");
        List<String> walked = walkWhileWriting("/api/events?limit=7", a -> a, "event_id", cursor, before.get(0),
                                               sidecar.get("/api/events?limit=1").json().get(0));
        assertThat(walked, is(before.subList(1, before.size())));
    }

    @Test
    void sessionEvents_cursorWalkWhileHooksArrive_givesEveryEventOnce_andAgreeWithOffsets() throws Exception {
        String path = "/api/sessions/" + BUSY + "/events?limit=4";
        Function<JsonNode, String> cursor = e -> e.get("timestamp").asText() + "," + e.get("event_id").asText();
        List<String> before = ids(sidecar.get("/api/sessions/" + BUSY + "/events?limit=1000").json(), "event_id");
        List<String> walked = walkWhileWriting(path, a -> a, "event_id", cursor, before.get(0),
                                               sidecar.get(path.replace("limit=4", "limit=1")).json().get(0));
        assertThat(walked, is(before.subList(1, before.size())));
        assertThat(offsetPages(path, a -> a, "event_id"), is(cursorPages(path, a -> a, "event_id", cursor)));
    }

    @Test
    void spawnerRuns_cursorWalkWhileRunsArrive_givesEveryRunOnce_andAgreesWithOffsets() throws Exception {
        String path = "/api/spawner-activities?limit=4";
        Function<JsonNode, JsonNode> rows = answer -> answer.get("spawner_activities");
        Function<JsonNode, String> cursor = r -> r.get("timestamp").asText() + "," + r.get("event_id").asText();
        List<String> before = ids(rows.apply(sidecar.get("/api/spawner-activities?limit=1000").json()), "event_id");
        assertThat(before.size(), greaterThan(12));
        List<String> walked = walkWhileWriting(path, rows, "event_id", cursor, before.get(0),
                rows.apply(sidecar.get("/api/spawner-activities?limit=1").json()).get(0));
        assertThat(walked, is(before.subList(1, before.size())));
        assertThat(offsetPages(path, rows, "event_id"), is(cursorPages(path, rows, "event_id", cursor)));
        String gemini = "/api/spawner-activities?limit=2&spawner_type=gemini";
        assertThat(offsetPages(gemini, rows, "event_id"), is(cursorPages(gemini, rows, "event_id", cursor)));
    }

    @Test
    void sessionsTab_olderLinks_walkEverySessionOnce_byKey() {
        for (int i = 0; i < 60; i++) {
            sidecar.hooks(sessionStart("s-walk-tab-" + i, "claude-sonnet-4-5"));
        }
        List<String> expected = ids(sidecar.get("/api/sessions?limit=500").json().get("sessions"), "session_id");
        List<String> walked = new ArrayList<>();
        int pages = 0;
        for (String next = "/views/sessions"; next != null; pages++) {
            String html = sidecar.get(next).body();
            Matcher row = Pattern.compile("<tr data-session=\"([^\"]+)\"").matcher(html);
            while (row.find()) {
                walked.add(row.group(1));
            }
            Matcher older = Pattern.compile("hx-get=\"([^\"]+)\" hx-target=\"#panel\">older").matcher(html);
            next = older.find() ? older.group(1).replace("&amp;", "&") : null;
            assertThat(next == null || next.contains("&cursor="), is(true));
        }
        assertThat(pages, greaterThan(1));
        assertThat(walked, is(expected));
    }

    @Test
    void malformedKeyCursors_are400_namingTheParameter() {
        for (String path : List.of("/api/sessions?cursor=yesterday", "/api/spawner-activities?cursor=yesterday",
                                   "/api/spawner-activities?cursor=2026-11-30T10:00:00Z,evt-1")) {
            TestSidecar.Response r = sidecar.get(path);
            assertThat(path, r.status(), is(400));
            assertThat(path, r.json().get("detail").asText().startsWith("'cursor'"), is(true));
        }
    }

    /**
     * Walks from {@code first} (the newest row when the walk began) to the end while another thread posts hooks: new
     * sessions and events, and tool calls finishing, in its own session and in {@link #BUSY}.
     */
    private static List<String> walkWhileWriting(String path, Function<JsonNode, JsonNode> rows, String id,
                                                 Function<JsonNode, String> cursorOf, String firstId, JsonNode first)
            throws Exception {
        assertThat(first.get(id).asText(), is(firstId));
        AtomicBoolean walking = new AtomicBoolean(true);
        AtomicInteger written = new AtomicInteger();
        ExecutorService writer = Executors.newSingleThreadExecutor();
        Future<?> writes = writer.submit(() -> {
            for (int i = 0; walking.get() && i < 20; i++) { // at most 120 events: each list fits one page of 1,000
                String session = "s-walk-new-" + path.hashCode() + "-" + i;
                spawnerRun(session, "gemini", "new run");
                sidecar.hooks(sessionStart(session, "claude-opus-4-1"), prompt(session, "new work"),
                              pre(session, "Bash", session + "-b", bash("ls")).toString(),
                              post(session, "Bash", session + "-b", bash("ls"), 3, "ok").toString(),
                              stop(session, "done"), notification(BUSY, "idle_prompt", "still here"));
                written.incrementAndGet();
            }
        });
        List<String> walked = new ArrayList<>();
        String cursor = cursorOf.apply(first);
        for (int page = 0; page < 1000; page++) {
            JsonNode answer = rows.apply(sidecar.get(path + "&cursor=" + cursor).json());
            if (answer.isEmpty()) {
                break;
            }
            walked.addAll(ids(answer, id));
            cursor = cursorOf.apply(answer.get(answer.size() - 1));
            Thread.sleep(2); // let the writer in between pages
        }
        walking.set(false);
        writes.get(30, TimeUnit.SECONDS);
        writer.shutdown();
        assertThat("hooks written during the walk", written.get(), greaterThan(0));
        assertThat("no row twice", new HashSet<>(walked).size(), is(walked.size()));
        return walked;
    }

    /** A spawner run from start to completion ({@code /api/spawner-events}). */
    private static void spawnerRun(String session, String spawner, String task) {
        for (String event : List.of("{\"event_type\":\"spawner_start\",\"data\":{\"prompt_preview\":\"" + task
                                    + "\"}", "{\"event_type\":\"spawner_complete\",\"data\":{\"success\":true}")) {
            String body = event + ",\"spawner_type\":\"" + spawner + "\",\"session_id\":\"" + session + "\"}";
            assertThat(body, sidecar.post("/api/spawner-events", body).status(), is(200));
        }
    }

    private static List<List<String>> offsetPages(String path, Function<JsonNode, JsonNode> rows, String id) {
        List<List<String>> pages = new ArrayList<>();
        for (int offset = 0; ; offset += pageSize(path)) {
            List<String> page = ids(rows.apply(sidecar.get(path + "&offset=" + offset).json()), id);
            if (page.isEmpty()) {
                return pages;
            }
            pages.add(page);
        }
    }

    private static List<List<String>> cursorPages(String path, Function<JsonNode, JsonNode> rows, String id,
                                                  Function<JsonNode, String> cursorOf) {
        List<List<String>> pages = new ArrayList<>();
        String next = path;
        while (true) {
            JsonNode answer = rows.apply(sidecar.get(next).json());
            if (answer.isEmpty()) {
                return pages;
            }
            pages.add(ids(answer, id));
            next = path + "&cursor=" + cursorOf.apply(answer.get(answer.size() - 1));
        }
    }

    private static int pageSize(String path) {
        return Integer.parseInt(path.replaceAll(".*limit=(\\d+).*", "$1"));
    }

    private static List<String> ids(JsonNode rows, String id) {
        List<String> ids = new ArrayList<>();
        rows.forEach(row -> ids.add(row.get(id).asText()));
        return ids;
    }

    private static JsonNode readTree(String json) {
        try {
            return TestSidecar.JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
