package io.htmlgraph.sidecar.demo;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.htmlgraph.sidecar.domain.ToolCallRequest;
import io.htmlgraph.sidecar.domain.UsageRecord;
import io.htmlgraph.sidecar.ingest.Ingestor;
import io.htmlgraph.sidecar.ingest.OtlpIngestor;
import io.htmlgraph.sidecar.ingest.Prices;
import io.htmlgraph.sidecar.query.EventQueries;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;

/**
 * Generated demo sessions (prompts, tool calls with a failing Bash, subagent delegations, headless spawner runs,
 * a waiting agent, ended sessions, Claude Code's own API requests with their tokens and cost) and features, fed
 * through the real ingest paths (hooks, spawner events, OTLP logs) so they look exactly like live data. Added once
 * per database.
 */
public final class DemoData {
    private static final Logger LOG = Logger.getLogger(DemoData.class.getName());
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String[][] PROMPTS = {
        {"Add a retry to the HTTP client", "src/main/java/app/HttpClient.java", "mvn -q test"},
        {"Why does the build fail on CI?", ".ci/run", "mvn -q verify"},
        {"Write tests for the parser", "src/test/java/app/ParserTest.java", "mvn -q -Dtest=ParserTest test"},
        {"Rename the config keys to snake_case", "src/main/resources/application.yaml", "git diff --stat"},
    };

    private final List<ObjectNode> events = new ArrayList<>();
    private final List<Instant> times = new ArrayList<>();
    private final List<ObjectNode> spawnerEvents = new ArrayList<>();
    private final List<Instant> spawnerTimes = new ArrayList<>();
    private final ScopeLogs.Builder telemetry = ScopeLogs.newBuilder();
    /** Which API request asked for each tool call, as the session's transcript would tell. */
    private final List<ToolCallRequest> toolCallRequests = new ArrayList<>();
    /** The last API request of the agent running now: it asks for the tool calls that follow. */
    private String request;
    private final Prices prices;
    private Instant clock;
    private int toolUse;
    private int requests;

    private DemoData(Instant start, Prices prices) {
        this.clock = start;
        this.prices = prices;
    }

    /** Adds the demo sessions unless this database has them already. */
    public static void fill(Ingestor ingestor, OtlpIngestor otlp, Prices prices, EventQueries queries, Clock clock) {
        if (!queries.events("demo-session-1", null, 1, 0).isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        LOG.info("Adding demo sessions");
        for (int s = 1; s <= 4; s++) {
            DemoData demo = new DemoData(now.minus(Duration.ofMinutes(40L * (5 - s))), prices);
            demo.session("demo-session-" + s, s);
            ingestor.generated(demo.events, demo.times);
            ingestor.generatedSpawnerEvents(demo.spawnerEvents, demo.spawnerTimes);
            ingestor.generatedUsage(demo.toolCallRequests);
            OtlpIngestor.Result usage = otlp.logs(demo.telemetryRequest().toByteArray(), false);
            if (usage.rejected() > 0) {
                LOG.log(Level.WARNING, "demo telemetry: {0} records rejected: {1}",
                        new Object[] {usage.rejected(), usage.errorMessage()});
            }
        }
        String[][] features = {{"Retry for the HTTP client", "done", "high"}, {"Parser tests", "in_progress", "medium"},
            {"snake_case config keys", "todo", "medium"}, {"Flaky CI build", "blocked", "critical"},
            {"Alert when an agent waits 15 minutes", "todo", "high"}, {"Dark mode for the reports", "todo", "low"}};
        for (String[] feature : features) {
            ingestor.feature(JSON.objectNode().put("title", feature[0]).put("status", feature[1])
                    .put("priority", feature[2]).toString().getBytes(StandardCharsets.UTF_8), null);
        }
        LOG.info("Added 4 demo sessions (session ids demo-session-1..4) and 6 features");
    }

    private void session(String id, int n) {
        String model = n % 2 == 0 ? "claude-opus-4-5" : "claude-sonnet-4-5";
        add(id, "SessionStart", 0).put("source", "startup").put("model", model);
        for (int p = 0; p < 2 + n % 2; p++) {
            String[] prompt = PROMPTS[(n + p) % PROMPTS.length];
            String promptId = UUID.nameUUIDFromBytes((id + "/" + p).getBytes(StandardCharsets.UTF_8)).toString();
            add(id, "UserPromptSubmit", 2).put("prompt", prompt[0]).put("prompt_id", promptId);
            apiRequest(id, promptId, null, model, 2_400 + 300 * p, p == 0 ? 9_000 : 1_800);
            tool(id, "", "Read", JSON.objectNode().put("file_path", "/work/app/" + prompt[1]), true, 40);
            tool(id, "", "Grep", JSON.objectNode().put("pattern", "TODO").put("path", "/work/app/src"), true, 25);
            if (p == 0) {
                delegate(id, n, promptId);
            }
            apiRequest(id, promptId, null, model, 1_100 + 150 * n, 1_200);
            tool(id, "", "Edit", JSON.objectNode().put("file_path", "/work/app/" + prompt[1])
                    .put("old_string", "timeout = 5").put("new_string", "timeout = 10"), true, 60);
            tool(id, "", "Bash", JSON.objectNode().put("command", prompt[2]).put("description", "Run the tests"),
                 p != 0 || n % 2 == 1, 4_000);
            add(id, "Stop", 3).put("last_assistant_message", "Done: " + prompt[0].toLowerCase() + ".");
        }
        spawn(id, n);
        if (n == 3) {
            add(id, "Notification", 1).put("message", "Claude needs your permission to use Bash")
                    .put("notification_type", "permission_prompt");
        } else if (n < 3) {
            add(id, "SessionEnd", 5).put("reason", n == 1 ? "logout" : "prompt_input_exit");
        }
    }

    private void delegate(String session, int n, String promptId) {
        String type = n % 2 == 0 ? "Explore" : "code-reviewer";
        String agentId = "a" + Integer.toHexString(session.hashCode() & 0xffff) + n;
        String useId = nextToolUse();
        ObjectNode input = JSON.objectNode().put("description", "Survey the module layout")
                .put("prompt", "List the packages and what each is for").put("subagent_type", type);
        add(session, "PreToolUse", 1).put("tool_name", "Agent").put("tool_use_id", useId).set("tool_input", input);
        toolCallRequests.add(new ToolCallRequest(session, useId, "Agent", request));
        String mainRequest = request;
        add(session, "SubagentStart", 1).put("agent_id", agentId).put("agent_type", type);
        apiRequest(session, promptId, new String[] {agentId, type}, "claude-haiku-4-5", 900, 3_500);
        tool(session, agentId, "Glob", JSON.objectNode().put("pattern", "src/**/*.java"), true, 30);
        tool(session, agentId, "Read", JSON.objectNode().put("file_path", "/work/app/README.md"), true, 20);
        request = mainRequest;
        add(session, "SubagentStop", 2).put("agent_id", agentId).put("agent_type", type)
                .put("last_assistant_message", "Four packages: web, store, ingest, config.");
        ObjectNode post = add(session, "PostToolUse", 0).put("tool_name", "Agent").put("tool_use_id", useId);
        post.set("tool_input", input);
        post.set("tool_response", JSON.objectNode().put("status", "completed")
                .set("content", JSON.arrayNode().add(JSON.objectNode().put("type", "text")
                        .put("text", "Four packages: web, store, ingest, config."))));
    }

    /** A headless spawner run: gemini and codex finish (codex fails in session 2), copilot is still running. */
    private void spawn(String session, int n) {
        String type = new String[] {"gemini", "codex", "copilot", "gemini"}[n - 1];
        spawner(session, type, "spawner_start", 1).put("prompt_preview", "Review the diff for security issues")
                .put("model", type.equals("gemini") ? "gemini-2.5-pro" : null);
        spawner(session, type, "spawner_phase", 2).put("phase", "executing").put("progress", 40);
        spawner(session, type, "spawner_tool_use", 5).put("tool_name", "read_file");
        if (n == 3) {
            return;
        }
        boolean ok = n != 2;
        ObjectNode done = spawner(session, type, "spawner_complete", 20).put("success", ok)
                .put("duration_seconds", 27.5 + n).put("tokens_used", 12_400 * n).put("input_tokens", 3_000 * n)
                .put("output_tokens", 1_400 * n).put("cache_read_tokens", 7_000 * n)
                .put("cache_creation_tokens", 1_000 * n);
        if (ok) {
            done.put("response_preview", "No injection risks found; one unchecked path join.")
                    .put("cost_usd", 0.0186 * n);
        } else {
            done.put("error", "CLI failed with exit code 1");
        }
    }

    /**
     * A {@code claude_code.api_request} as Claude Code's OTLP exporter sends it (numbers as text), a second after
     * the last event, with the cost Claude Code would report for those tokens. {@code subagent}: its id and type.
     */
    private void apiRequest(String session, String promptId, String[] subagent, String model, long output,
                            long cacheCreation) {
        clock = clock.plusSeconds(1);
        long input = 6 + requests % 5;
        long cacheRead = 18_000 + 2_500L * (requests % 7);
        LogRecord.Builder log = LogRecord.newBuilder()
                .setTimeUnixNano(clock.getEpochSecond() * 1_000_000_000L + clock.getNano())
                .setBody(text("claude_code.api_request"));
        attribute(log, "event.name", "api_request");
        attribute(log, "event.timestamp", clock.toString());
        attribute(log, "event.sequence", String.valueOf(requests));
        attribute(log, "session.id", session);
        attribute(log, "prompt.id", promptId);
        String requestId = "req_demo_" + session + "_" + requests++;
        attribute(log, "request_id", requestId);
        request = UsageRecord.requestKey(requestId);
        attribute(log, "model", model);
        attribute(log, "input_tokens", String.valueOf(input));
        attribute(log, "output_tokens", String.valueOf(output));
        attribute(log, "cache_read_tokens", String.valueOf(cacheRead));
        attribute(log, "cache_creation_tokens", String.valueOf(cacheCreation));
        prices.cost(model, input, output, cacheRead, cacheCreation, 0)
                .ifPresent(usd -> attribute(log, "cost_usd", String.valueOf(usd)));
        attribute(log, "duration_ms", String.valueOf(2_000 + output));
        attribute(log, "query_source", subagent == null ? "main" : "subagent");
        if (subagent != null) {
            attribute(log, "agent_id", subagent[0]);
            attribute(log, "agent.name", subagent[1]);
        }
        telemetry.addLogRecords(log);
    }

    private ExportLogsServiceRequest telemetryRequest() {
        return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
                .setResource(Resource.newBuilder()
                        .addAttributes(KeyValue.newBuilder().setKey("service.name").setValue(text("claude-code"))))
                .addScopeLogs(telemetry)).build();
    }

    private static void attribute(LogRecord.Builder log, String key, String value) {
        log.addAttributes(KeyValue.newBuilder().setKey(key).setValue(text(value)));
    }

    private static AnyValue text(String value) {
        return AnyValue.newBuilder().setStringValue(value).build();
    }

    private ObjectNode spawner(String session, String type, String event, int seconds) {
        clock = clock.plusSeconds(seconds);
        ObjectNode data = JSON.objectNode();
        ObjectNode envelope = JSON.objectNode().put("event_type", event).put("spawner_type", type)
                .put("session_id", session);
        envelope.set("data", data);
        spawnerEvents.add(envelope);
        spawnerTimes.add(clock);
        return data;
    }

    private void tool(String session, String agentId, String name, ObjectNode input, boolean ok, long millis) {
        String useId = nextToolUse();
        ObjectNode pre = add(session, "PreToolUse", 1).put("tool_name", name).put("tool_use_id", useId);
        toolCallRequests.add(new ToolCallRequest(session, useId, name, request));
        pre.set("tool_input", input);
        ObjectNode post = add(session, ok ? "PostToolUse" : "PostToolUseFailure", 0)
                .put("tool_name", name).put("tool_use_id", useId).put("duration_ms", millis);
        post.set("tool_input", input);
        if (ok) {
            post.set("tool_response", JSON.objectNode().put("stdout", name + " finished").put("stderr", ""));
        } else {
            post.put("error", "Exit code 1\n[ERROR] Tests run: 12, Failures: 1").put("is_interrupt", false);
        }
        if (!agentId.isEmpty()) {
            pre.put("agent_id", agentId);
            post.put("agent_id", agentId);
        }
        clock = clock.plusMillis(millis);
    }

    private ObjectNode add(String session, String hook, int seconds) {
        clock = clock.plusSeconds(seconds).plusMillis(137);
        ObjectNode event = JSON.objectNode().put("session_id", session).put("hook_event_name", hook)
                .put("cwd", "/work/app").put("transcript_path", "/home/dev/.claude/projects/app/" + session + ".jsonl");
        events.add(event);
        times.add(clock);
        return event;
    }

    private String nextToolUse() {
        return "toolu_demo_" + (++toolUse) + "_" + Long.toHexString(clock.toEpochMilli());
    }
}
