package io.htmlgraph.sidecar.otlp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.htmlgraph.sidecar.Hooks;
import io.htmlgraph.sidecar.TestSidecar;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.is;

/** Usage read from Claude Code transcripts under HTMLGRAPH_TRANSCRIPT_ROOTS: incrementally, once, never outside. */
class TranscriptUsageTest {

    /** An assistant line as Claude Code writes it (one per content block of a streamed message). */
    static String assistant(String session, String messageId, String requestId, String model, long in, long out,
                            long cacheRead, long cacheWrite, boolean sidechain, String agentId) {
        ObjectNode line = TestSidecar.JSON.createObjectNode().put("parentUuid", "u-1").put("isSidechain", sidechain)
                .put("userType", "external").put("cwd", "/home/dev/app").put("sessionId", session)
                .put("version", "2.1.200").put("type", "assistant").put("requestId", requestId)
                .put("uuid", "u-" + messageId).put("timestamp", Instant.now().toString());
        if (agentId != null) {
            line.put("agentId", agentId);
        }
        ObjectNode message = line.putObject("message").put("id", messageId).put("type", "message")
                .put("role", "assistant").put("model", model);
        message.putArray("content").addObject().put("type", "text").put("text", "Done.");
        message.putObject("usage").put("input_tokens", in).put("output_tokens", out)
                .put("cache_read_input_tokens", cacheRead).put("cache_creation_input_tokens", cacheWrite)
                .put("service_tier", "standard");
        return line.toString();
    }

    static String user(String session, String text) {
        ObjectNode line = TestSidecar.JSON.createObjectNode().put("type", "user").put("sessionId", session)
                .put("timestamp", Instant.now().toString());
        line.putObject("message").put("role", "user").put("content", text);
        return line.toString();
    }

    static void append(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    static void await(Supplier<Boolean> condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(50);
        }
    }

    static String prompt(String session, Path transcript, String text) {
        return Hooks.base(session, "UserPromptSubmit").put("transcript_path", transcript.toString())
                .put("prompt", text).toString();
    }

    /** The session's tokens, as {@code /api/sessions/{id}} totals them (0 before any). */
    private static long sessionTokens(TestSidecar s, String session) {
        return s.get("/api/sessions/" + session).json().path("totals").path("tokens").path("total").asLong();
    }

    /** {@code GET /api/usage}'s rows by agent and model: agent, model and total tokens. */
    private static java.util.List<String> usageByAgentModel(TestSidecar s) {
        java.util.List<String> rows = new java.util.ArrayList<>();
        for (var row : s.get("/api/usage").json().get("by_agent_model")) {
            rows.add(row.get("agent_id").asText() + " " + row.get("model").asText() + " "
                     + row.get("usage").get("total_tokens").asLong());
        }
        return rows;
    }

    private static Map<String, String> roots(Path root) {
        return Map.of("transcript-roots", root.toString(), "transcript-poll", "100ms");
    }

    @Test
    void usageLines_countOnce_sidechainsIncluded_andAHalfWrittenLineWaitsForItsEnd() throws Exception {
        Path root = Files.createTempDirectory("transcripts");
        Path main = root.resolve("projects/app/t-main.jsonl");
        Path sub = root.resolve("projects/app/t-main/subagents/agent-ag7.jsonl");
        try (TestSidecar s = TestSidecar.start(roots(root))) {
            append(main, "");
            s.hooks(prompt("t-main", main, "Refactor"));
            String first = assistant("t-main", "msg_1", "req_t1", "claude-sonnet-4-5", 100, 50, 1000, 200, false,
                                     null);
            String second = assistant("t-main", "msg_2", "req_t2", "claude-sonnet-4-5", 10, 5, 0, 0, false, null);
            append(main, user("t-main", "Refactor") + "\n" + first + "\n" + first + "\n"
                         + second.substring(0, 40));
            await(() -> sessionTokens(s, "t-main") == 1350, "the first request is read (once: 1,350 tokens)");
            Thread.sleep(300); // several passes: the half line is not taken
            assertThat(sessionTokens(s, "t-main"), is(1350L));
            append(main, second.substring(40) + "\n");
            await(() -> sessionTokens(s, "t-main") == 1350 + 15, "the completed line is read");

            s.hooks(Hooks.base("t-main", "SubagentStop").put("agent_id", "ag7").put("agent_type", "Explore")
                    .put("agent_transcript_path", sub.toString()).put("stop_hook_active", false).toString());
            append(sub, assistant("t-main", "msg_3", "req_t3", "claude-haiku-4-5", 1000, 100, 0, 0, true, "ag7")
                        + "\n");
            await(() -> sessionTokens(s, "t-main") == 1350 + 15 + 1100, "the subagent's transcript is read");
            assertThat(usageByAgentModel(s), is(java.util.List.of("Explore claude-haiku-4-5 1100",
                                                                  "claude-code claude-sonnet-4-5 1365")));

            var turn = s.get("/api/events-grouped-by-prompt?session_id=t-main").json().get("conversation_turns")
                    .get(0).get("userQuery");
            assertThat(turn.get("total_tokens").asLong(), is(1350L + 15 + 1100));
            // sonnet-4-5: 100×3 + 50×15 + 1000×0.30 + 200×3.75, 10×3 + 5×15; haiku-4-5: 1000×1 + 100×5 (per 1M)
            double usd = (300 + 750 + 300 + 750 + 30 + 75 + 1000 + 500) / 1e6;
            assertThat(turn.get("cost_usd").asDouble(), closeTo(usd, 1e-12));
            assertThat(turn.get("cost_source").asText(), is("computed"));
        }
    }

    @Test
    void aPathOutsideTheRoots_orASymlinkLeavingThem_isNeverRead() throws Exception {
        Path root = Files.createTempDirectory("transcripts");
        Path outside = Files.createTempDirectory("elsewhere").resolve("secret.jsonl");
        append(outside, assistant("t-out", "msg_o", "req_o1", "claude-opus-4-5", 1, 1, 0, 0, false, null) + "\n");
        Path link = root.resolve("link.jsonl");
        Files.createSymbolicLink(link, outside);
        try (TestSidecar s = TestSidecar.start(roots(root))) {
            s.hooks(prompt("t-out", outside, "a"), prompt("t-out", link, "b"),
                    prompt("t-out", root.resolve("../" + outside.getParent().getFileName() + "/secret.jsonl"), "c"));
            Thread.sleep(600);
            assertThat(usageByAgentModel(s), is(java.util.List.of()));
        }
    }

    @Test
    void aRestartResumesAtTheStoredOffset_andTelemetryForTheSameRequestCountsOnce() throws Exception {
        Path root = Files.createTempDirectory("transcripts");
        Path main = root.resolve("t-again.jsonl");
        Path db;
        append(main, "");
        try (TestSidecar s = TestSidecar.start(roots(root))) {
            s.hooks(prompt("t-again", main, "Go"));
            append(main, assistant("t-again", "msg_a", "req_a9", "claude-opus-4-5", 1000, 100, 0, 0, false, null)
                         + "\n");
            await(() -> OtlpIngestTest.usageTotal(s).path("total_tokens").asLong() == 1100, "read");
            // telemetry reports the same request: one row, now with telemetry's USD
            OtlpIngestTest.postJson(s, "/v1/logs", new Otlp()
                    .apiRequest("t-again", null, "req_a9", "claude-opus-4-5", 1000, 100, 0, 0, 0.0123).json());
            var total = OtlpIngestTest.usageTotal(s);
            assertThat(total.get("total_tokens").asLong() + " " + total.get("cost_source").asText() + " "
                       + total.get("cost_usd").asDouble(), is("1100 telemetry 0.0123"));
            db = s.db();
        }
        append(main, assistant("t-again", "msg_b", "req_b9", "claude-opus-4-5", 10, 10, 0, 0, false, null) + "\n");
        try (TestSidecar s = TestSidecar.reopen(db, roots(root))) {
            s.hooks(Hooks.base("t-again", "Stop").put("transcript_path", main.toString()).toString());
            await(() -> OtlpIngestTest.usageTotal(s).path("total_tokens").asLong() == 1100 + 20,
                  "the new line after restart");
            Thread.sleep(300);
            assertThat(OtlpIngestTest.usageTotal(s).path("total_tokens").asLong(), is(1120L)); // nothing read twice
            // req_a9 keeps telemetry's USD (read again from the transcript it would cost 0.0075, computed)
            assertThat(s.get("/api/sessions/t-again").json().get("totals").get("cost_usd").asDouble(),
                       closeTo(0.0123 + (10 * 5 + 10 * 25) / 1e6, 1e-12));
        }
    }
}
