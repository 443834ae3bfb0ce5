package io.htmlgraph.sidecar.web;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.htmlgraph.sidecar.TestSidecar;
import io.htmlgraph.sidecar.query.QueryCache;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.htmlgraph.sidecar.Hooks.agentInput;
import static io.htmlgraph.sidecar.Hooks.agentResponse;
import static io.htmlgraph.sidecar.Hooks.bash;
import static io.htmlgraph.sidecar.Hooks.file;
import static io.htmlgraph.sidecar.Hooks.inSubagent;
import static io.htmlgraph.sidecar.Hooks.post;
import static io.htmlgraph.sidecar.Hooks.pre;
import static io.htmlgraph.sidecar.Hooks.prompt;
import static io.htmlgraph.sidecar.Hooks.sessionStart;
import static io.htmlgraph.sidecar.Hooks.stop;
import static io.htmlgraph.sidecar.Hooks.subagentStart;
import static io.htmlgraph.sidecar.Hooks.subagentStop;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * The query cache after writes, on a real server and store: every cached route answers what a fresh read answers
 * right after a hook is acknowledged (never an answer from before it), and the answers about a session that the
 * write did not touch are still served from the cache.
 */
class CacheInvalidationTest {
    private static final String A = "s-cache-a";
    private static final String B = "s-cache-b";
    private static TestSidecar sidecar;

    @BeforeAll
    static void twoSessions() {
        sidecar = TestSidecar.start(Map.of("idle-after", "1h"));
        for (String session : List.of(A, B)) {
            work(session, "first");
        }
    }

    @AfterAll
    static void close() {
        sidecar.close();
    }

    /** A turn with a tool call and a delegation whose subagent runs a tool of its own. */
    private static void work(String session, String name) {
        ObjectNode task = agentInput("Explore", "look at " + name);
        ObjectNode taskDone = post(session, "Agent", session + name + "-t", task, 2000, "");
        taskDone.set("tool_response", agentResponse("completed", "found " + name));
        String agent = session + name + "-ag";
        sidecar.hooks(sessionStart(session, "claude-sonnet-4-5"), prompt(session, "Work on " + name),
                pre(session, "Bash", session + name + "-b", bash("make " + name)).toString(),
                post(session, "Bash", session + name + "-b", bash("make " + name), 120, "ok").toString(),
                pre(session, "Agent", session + name + "-t", task).toString(),
                subagentStart(session, agent, "Explore"),
                inSubagent(pre(session, "Read", session + name + "-r", file("/" + name)), agent, "Explore"),
                inSubagent(post(session, "Read", session + name + "-r", file("/" + name), 30, name), agent,
                           "Explore"),
                subagentStop(session, agent, "Explore", "found " + name), taskDone.toString(),
                stop(session, "Done with " + name));
    }

    @Test
    void aReadAfterAWrite_answersAsAFreshRead_andAnswersAboutOtherSessionsStayCached() {
        QueryCache cache = sidecar.sidecar().queryCache();
        List<Runnable> writes = List.of(
                () -> sidecar.hooks(prompt(A, "Next step")),
                () -> sidecar.hooks(pre(A, "Bash", "a-open", bash("make slow")).toString()),
                () -> sidecar.hooks(post(A, "Bash", "a-open", bash("make slow"), 900, "done").toString(),
                                    stop(A, "Finished the next step")),
                () -> work(A, "second"),
                () -> work("s-cache-new", "fresh"));
        List<String> stale = new ArrayList<>();
        int survivals = 0;
        for (Runnable write : writes) {
            List<String> routes = routes();
            routes.forEach(CacheInvalidationTest::read);
            long warmed = System.nanoTime();
            aboutB().forEach(CacheInvalidationTest::read);
            write.run();
            long misses = cache.misses();
            aboutB().forEach(CacheInvalidationTest::read);
            // entries also expire after the TTL: on a slow machine this round proves nothing about survival
            if (System.nanoTime() - warmed < QueryCache.TTL.toNanos() / 2) {
                assertThat("answers about " + B + " after a write to another session come from the cache",
                           cache.misses(), is(misses));
                survivals++;
            }
            long minute = minute();
            List<String> answers = routes.stream().map(CacheInvalidationTest::read).toList();
            cache.invalidateAll();
            List<String> fresh = routes.stream().map(CacheInvalidationTest::read).toList();
            if (minute() != minute) {
                continue; // the metrics view's charts end at the current minute: across a new one they differ anyway
            }
            for (int i = 0; i < routes.size(); i++) {
                if (!answers.get(i).equals(fresh.get(i))) {
                    stale.add(routes.get(i) + "\n  cached: " + answers.get(i) + "\n  fresh:  " + fresh.get(i));
                }
            }
        }
        assertThat("answers read after a write, differing from a fresh read", stale, empty());
        assertThat("rounds fast enough to see answers survive", survivals, greaterThan(0));
    }

    private static long minute() {
        return Instant.now().getEpochSecond() / 60;
    }

    @Test
    void aWriteToASession_refreshesItsOwnAnswers() {
        String before = read("/api/sessions/" + B);
        sidecar.hooks(prompt(B, "One more thing"));
        assertThat(read("/api/sessions/" + B), not(is(before)));
    }

    /** Every cached route: store-wide answers, and those about each session (and about one turn of each). */
    private static List<String> routes() {
        List<String> routes = new ArrayList<>(List.of("/api/events?limit=20", "/api/events?agent_id=claude-code",
                "/api/initial-stats", "/api/usage", "/api/sessions", "/api/sessions?status=active",
                "/api/events-grouped-by-prompt", "/api/events-grouped-by-prompt?agent_id=Explore",
                "/api/event-traces", "/api/complete-activity-feed", "/api/orchestration",
                "/api/orchestration/delegations", "/api/spawner-activities", "/api/spawner-statistics",
                "/api/attention", "/api/features", "/api/daily", "/views/activity-feed",
                "/views/activity-feed?agent_id=Explore", "/views/sessions", "/views/agents", "/views/orchestration",
                "/views/features", "/views/spawners", "/views/metrics", "/views/attention", "/views/counters",
                "/views/activity-feed?session_id=" + B)); // its filter lists the newest sessions: store-wide
        routes.addAll(about(A));
        routes.addAll(aboutB());
        return routes;
    }

    private static List<String> aboutB() {
        return about(B);
    }

    /** The cached routes whose answer is about one session only: a filter on it, its detail, one of its turns. */
    private static List<String> about(String session) {
        String turn = newestTurn(session);
        List<String> routes = new ArrayList<>(List.of("/api/sessions/" + session, "/api/sessions/" + session
                + "/events", "/views/sessions/" + session, "/views/turns/" + turn, "/views/turns/" + turn + "/tree"));
        for (String filtered : List.of("/api/events?session_id=", "/api/events?agent_id=Explore&session_id=",
                "/api/events-grouped-by-prompt?session_id=", "/api/event-traces?session_id=",
                "/api/complete-activity-feed?session_id=", "/api/spawner-activities?session_id=",
                "/api/spawner-statistics?session_id=")) {
            routes.add(filtered + session);
        }
        return routes;
    }

    private static String newestTurn(String session) {
        JsonNode page = sidecar.get("/api/events-grouped-by-prompt?limit=1&session_id=" + session).json();
        return page.get("conversation_turns").get(0).get("userQuery").get("event_id").asText();
    }

    private static String read(String route) {
        TestSidecar.Response response = sidecar.get(route);
        assertThat(route + ": " + response.body(), response.status(), is(200));
        return withoutClock(response.body());
    }

    /** The time of the answer (when a route states it) is the one part a fresh read may change by itself. */
    private static String withoutClock(String body) {
        return body.startsWith("{\"timestamp\":") ? body.replaceFirst("^\\{\"timestamp\":\"[^\"]*\"", "{")
                : body;
    }
}
