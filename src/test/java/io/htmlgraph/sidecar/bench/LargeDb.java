package io.htmlgraph.sidecar.bench;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.htmlgraph.sidecar.Hooks;
import io.htmlgraph.sidecar.correlate.EventWriter;
import io.htmlgraph.sidecar.ingest.Ingestor;
import io.htmlgraph.sidecar.store.Database;
import io.htmlgraph.sidecar.web.Json;

/**
 * Generates a large realistic store for query benchmarks (not a test), through the real ingest path:
 * sessions of 25 turns, each turn a prompt, six tool calls (some failing), every other turn an Agent delegation
 * whose subagent runs three tools, and a stop — about 11 event rows per turn, spread over the last 30 days.
 * <pre>
 * java -cp ... io.htmlgraph.sidecar.bench.LargeDb target/bench-1m.db 1000000
 * </pre>
 */
public final class LargeDb {
    private static final int TURNS_PER_SESSION = 25;
    private static final int ROWS_PER_TURN = 11;

    private final List<ObjectNode> events = new ArrayList<>();
    private final List<Instant> times = new ArrayList<>();
    private Instant clock;
    private long ids;

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        long rows = Long.parseLong(args[1]);
        long turns = rows / ROWS_PER_TURN;
        long sessions = Math.max(1, turns / TURNS_PER_SESSION);
        Instant start = Instant.now().minus(Duration.ofDays(30));
        long gapMillis = Duration.ofDays(30).toMillis() / sessions;
        long t0 = System.nanoTime();
        try (Database db = Database.open(file); EventWriter writer = new EventWriter(db, Clock.systemUTC())) {
            Ingestor ingestor = new Ingestor(Json.mapper(), 65536, false, writer, Clock.systemUTC());
            LargeDb generator = new LargeDb();
            for (long s = 0; s < sessions; s++) {
                generator.clock = start.plusMillis(s * gapMillis);
                generator.session("bench-" + s);
                ingestor.generated(generator.events, generator.times);
                generator.events.clear();
                generator.times.clear();
                if (s % 200 == 0) {
                    System.out.printf("%d of %d sessions, %.0f s%n", s, sessions, (System.nanoTime() - t0) / 1e9);
                }
            }
        }
        System.out.printf("generated %d sessions (~%d event rows) into %s in %.0f s%n", sessions,
                sessions * TURNS_PER_SESSION * ROWS_PER_TURN, file, (System.nanoTime() - t0) / 1e9);
    }

    private void session(String session) {
        add(Hooks.base(session, "SessionStart").put("source", "startup").put("model", "claude-sonnet-4-5"), 0);
        for (int turn = 0; turn < TURNS_PER_SESSION; turn++) {
            add(Hooks.base(session, "UserPromptSubmit").put("prompt", "Task " + turn + " of " + session), 5);
            for (int call = 0; call < 6; call++) {
                tool(session, null, call % 2 == 0 ? "Read" : "Bash", turn % 3 == 0 && call == 5);
            }
            if (turn % 2 == 0) {
                delegate(session, turn);
            }
            add(Hooks.base(session, "Stop").put("last_assistant_message", "Done with task " + turn), 2);
        }
        add(Hooks.base(session, "SessionEnd").put("reason", "prompt_input_exit"), 1);
    }

    private void delegate(String session, int turn) {
        String useId = "tu-" + (++ids);
        String agent = "ag-" + ids;
        var input = Hooks.agentInput("Explore", "survey part " + turn);
        add(Hooks.pre(session, "Agent", useId, input), 1);
        add(Hooks.base(session, "SubagentStart").put("agent_id", agent).put("agent_type", "Explore"), 1);
        for (int i = 0; i < 3; i++) {
            tool(session, agent, "Grep", false);
        }
        add(Hooks.base(session, "SubagentStop").put("agent_id", agent).put("agent_type", "Explore")
                .put("last_assistant_message", "Found it"), 1);
        var done = Hooks.post(session, "Agent", useId, input, 9000, "");
        done.set("tool_response", Hooks.agentResponse("completed", "Found it"));
        add(done, 1);
    }

    private void tool(String session, String agent, String name, boolean fails) {
        String useId = "tu-" + (++ids);
        var input = name.equals("Bash") ? Hooks.bash("mvn -q test") : Hooks.file("/src/File" + (ids % 97) + ".java");
        ObjectNode pre = Hooks.pre(session, name, useId, input);
        ObjectNode post = fails ? Hooks.failure(session, name, useId, input, "Exit code 1")
                : Hooks.post(session, name, useId, input, 150, "ok");
        if (agent != null) {
            pre.put("agent_id", agent).put("agent_type", "Explore");
            post.put("agent_id", agent).put("agent_type", "Explore");
        }
        add(pre, 1);
        add(post, 0);
    }

    private void add(ObjectNode event, int seconds) {
        clock = clock.plusSeconds(seconds).plusMillis(150);
        events.add(event);
        times.add(clock);
    }
}
