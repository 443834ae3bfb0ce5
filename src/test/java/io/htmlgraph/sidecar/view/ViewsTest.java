package io.htmlgraph.sidecar.view;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import io.htmlgraph.sidecar.Api;
import io.htmlgraph.sidecar.Hooks;
import io.htmlgraph.sidecar.TestSidecar;
import io.htmlgraph.sidecar.WiredSidecar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * Each dashboard fragment, rendered by the real server from the demo data, says what the tab promises. The real
 * server with the production wiring (Helidon's {@code @ServerTest}); tests that need another store start their own.
 */
@ServerTest
class ViewsTest {
    private static WiredSidecar wired;
    private final Http1Client http;

    ViewsTest(Http1Client http) {
        this.http = http;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        wired = WiredSidecar.on(server, Map.of("demo", "true"));
    }

    @AfterAll
    static void close() {
        wired.close();
    }

    private String html(String path) {
        Api.Answer r = get(path);
        assertThat(path + " -> " + r.body(), r.status(), is(Status.OK_200));
        assertThat(contentType(r), startsWith("text/html"));
        return r.body();
    }

    private Api.Answer get(String path) {
        return Api.answer(http, path);
    }

    private static String contentType(Api.Answer answer) {
        return answer.headers().first(HeaderNames.CONTENT_TYPE).orElseThrow();
    }

    @Test
    void page_hasCountersTabsAndTheSelectedTabsPanel_withAStrictContentSecurityPolicy() {
        Api.Answer r = get("/?tab=agents");
        String csp = r.headers().first(HeaderNames.create("Content-Security-Policy")).orElseThrow();
        assertThat(csp, allOf(containsString("default-src 'self'"), containsString("script-src 'self'"),
                containsString("object-src 'none'"), containsString("frame-ancestors 'none'"),
                not(containsString("unsafe-inline")), not(containsString("unsafe-eval"))));
        assertThat(r.headers().first(HeaderNames.create("X-Content-Type-Options")).orElseThrow(), is("nosniff"));
        assertThat(get("/api/events?limit=1").headers().first(HeaderNames.create("X-Content-Type-Options"))
                .orElseThrow(), is("nosniff"));
        assertThat(r.body(), allOf(containsString("<dd id=\"c-events\">91</dd>"),
                containsString("<dd id=\"c-sessions\">4</dd>"), containsString("id=\"c-tokens\">791,386"),
                containsString("aria-selected=\"true\" tabindex=\"0\">Agents</a>"),
                containsString("href=\"/?tab=attention\""), containsString("/static/htmx.min.js"),
                containsString("\"allowEval\":false"), not(containsString("<script>")),
                not(containsString("style="))));
        assertThat(Pattern.compile("\\son[a-z]+\\s*=").matcher(r.body()).find(), is(false));
    }

    @Test
    void activity_listsTurnsNewestFirst_withCountsButNoTrees_andAnOpenedTurnLoadsItsTreeWithTheErrorText() {
        String body = html("/views/activity-feed");
        assertThat(body, allOf(containsString("Why does the build fail on CI?"), containsString("7</span> tool calls"),
                containsString("1 failed"), containsString("hx-trigger=\"toggle once\""),
                containsString("<li class=\"loading\">"), not(containsString("<span class=\"sub\">")),
                not(containsString("<pre class=\"error\">")),
                containsString("<option value=\"demo-session-1\">"), not(containsString("Load more turns"))));
        StringBuilder trees = new StringBuilder();
        for (Matcher url = Pattern.compile("hx-get=\"(/views/turns/[^\"]+/tree)\"").matcher(body); url.find(); ) {
            String tree = html(url.group(1));
            assertThat(tree, startsWith("<ul class=\"tree\""));
            trees.append(tree);
        }
        assertThat(trees.toString(), allOf(containsString("<span class=\"sub\">→ Explore</span>"),
                containsString("<pre class=\"error\">Exit code 1&#10;[ERROR] Tests run: 12, Failures: 1</pre>")));
        assertThat(get("/views/turns/nope/tree").status().code(), is(404));
        assertThat(html("/views/activity-feed?limit=5"), containsString("/views/activity-feed?limit=30"));
        assertThat(body.indexOf("2026") >= 0, is(true));
        String one = html("/views/activity-feed?session_id=demo-session-2&agent_id=Explore");
        assertThat(one, allOf(containsString("data-session=\"demo-session-2\""), not(containsString(
                "data-session=\"demo-session-1\""))));
    }

    @Test
    void activityCounts_fromOneWalkPerPage_equalTheJsonFeedsTreeStats_whichStillHasTheTrees() {
        JsonNode feed = Api.get(http, "/api/events-grouped-by-prompt?limit=50");
        String list = html("/views/activity-feed?limit=50");
        int withTrees = 0;
        int failing = 0;
        for (JsonNode turn : feed.path("conversation_turns")) {
            String id = turn.path("userQuery").path("event_id").asText();
            JsonNode stats = turn.path("stats");
            int start = list.indexOf("id=\"turn-" + id + "\"");
            String row = list.substring(start, list.indexOf("</summary>", start));
            assertThat(id, row, allOf(containsString("<span class=\"n\">" + stats.path("tool_count").asInt()
                    + "</span> tool calls"), containsString(stats.path("success_count").asInt() + " ok</span>"),
                    containsString(stats.path("error_count").asInt() + " failed</span>")));
            int errors = stats.path("error_count").asInt();
            String shown = (errors > 0 ? "<span class=\"n-err\">" : "<span>") + errors + " failed";
            assertThat(id, row, containsString(shown));
            failing += errors > 0 ? 1 : 0;
            withTrees += turn.path("children").isEmpty() ? 0 : 1;
        }
        assertThat(feed.path("conversation_turns").size() > 3 && withTrees > 3, is(true));
        assertThat(failing > 0 && failing < feed.path("conversation_turns").size(), is(true));
    }

    @Test
    void sessions_listStatusAgentModelTimesAndCounts_andASessionPageHasItsTotalsAndTurns() {
        assertThat(html("/views/sessions"), allOf(containsString("href=\"/sessions/demo-session-3\""),
                containsString("claude-opus-4-5"), containsString("s-ended\">ended"), containsString("4 sessions")));
        assertThat(html("/views/sessions?status=ended"), allOf(containsString("2 sessions"),
                not(containsString("demo-session-3"))));
        String page = html("/sessions/demo-session-2");
        assertThat(page, allOf(containsString("Session <span class=\"id\">demo-session-2</span>"),
                containsString("<dt>tool calls</dt><dd>12</dd>"), containsString("<dt>tokens</dt><dd>165,340</dd>"),
                containsString("Write tests for the parser"), containsString("prompt_input_exit")));
        assertThat(get("/sessions/nope").status().code(), is(404));
    }

    @Test
    void agents_haveRealFigures() {
        String body = html("/views/agents");
        assertThat(body, allOf(containsString("<h2>claude-code</h2>"), containsString("<dd>71</dd>"),
                containsString("<dd>78.0 %</dd>"), containsString("<dd>95.5 %</dd>"), containsString("<h2>gemini</h2>"),
                containsString("<dd>$0.0930</dd>"), containsString("<dd>62,000</dd>")));
    }

    @Test
    void orchestration_drawsWhoDelegatesToWhom_withDepthAndFanOut() {
        String body = html("/views/orchestration");
        assertThat(body, allOf(containsString("<svg class=\"graph\""), containsString("<text x=\"240\""),
                containsString("<dt>chain depth</dt><dd>1</dd>"),
                containsString("<td>claude-code</td><td class=\"num\">2"),
                containsString("Agent (Explore): Survey the module layout"),
                containsString("claude-code → Explore: 2")));
    }

    @Test
    void features_areAKanbanWithCountsAndMoveButtons() {
        String body = html("/views/features");
        assertThat(body.indexOf("Alert when an agent waits") < body.indexOf("snake_case config keys")
                   && body.indexOf("snake_case config keys") < body.indexOf("Dark mode for the reports"), is(true));
        assertThat(body, allOf(containsString("id=\"col-todo\">To Do <span class=\"count\">3"),
                containsString("id=\"col-blocked\">Blocked"), containsString("Flaky CI build"),
                containsString("data-to=\"in_progress\" aria-label=\"Move to In Progress\""),
                containsString("draggable=\"true\"")));
    }

    @Test
    void spawners_metricsAndAttention_showTheirFigures() {
        assertThat(html("/views/spawners"), allOf(containsString("<td>codex</td>"), containsString("Running now"),
                containsString("executing"), containsString("s-error\">error")));
        assertThat(html("/views/metrics"), allOf(containsString("Events per minute, last hour"),
                containsString("Events per hour, last 24 hours"), containsString("Tool call duration"),
                containsString("Tokens by type"), containsString("gemini-2.5-pro"),
                containsString("<rect class=\"bar\"")));
        assertThat(html("/views/attention"), allOf(containsString("Waiting for you"), containsString("permission"),
                containsString("Idle")));
        assertThat(html("/views/counters"), containsString("id=\"c-agents\">6"));
        assertThat(get("/views/nothing").status().code(), is(404));
        assertThat(get("/views/sessions?status=bogus").status().code(), is(400));
    }

    @Test
    void agentText_isEscapedInTextAndInAttributes_andCreatesNoElement() {
        String session = "x\"><b id=pwn>'";
        String prompt = "<img src=x onerror=alert(1)> and \"><script>alert(2)</script>";
        try (TestSidecar hostile = TestSidecar.start()) {
            hostile.hooks(Hooks.prompt(session, prompt), Hooks.pre(session, "Bash", "toolu_x", Hooks.bash(prompt))
                    .toString());
            String sessionPath = "/sessions/" + URLEncoder.encode(session, StandardCharsets.UTF_8).replace("+", "%20");
            for (String path : List.of("/views/activity-feed", "/views/sessions", "/?tab=activity",
                    "/views/attention", "/views/agents", sessionPath)) {
                TestSidecar.Response answer = hostile.get(path);
                assertThat(path, answer.status(), is(200));
                String body = answer.body();
                assertThat(path, body, allOf(not(containsString("<img src=x")), not(containsString("<script>alert")),
                        not(containsString("<b id=pwn>")), not(containsString("x\"><"))));
            }
            String feed = hostile.get("/views/activity-feed").body();
            assertThat(feed, allOf(containsString("&lt;img src&#61;x onerror&#61;alert(1)&gt;"),
                    containsString("&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"),
                    containsString("data-session=\"x&quot;&gt;&lt;b id&#61;pwn&gt;&#39;\"")));
            Matcher url = Pattern.compile("hx-get=\"(/views/turns/[^\"]+/tree)\"").matcher(feed);
            assertThat(url.find(), is(true));
            String tree = hostile.get(url.group(1)).body();
            assertThat(tree, allOf(containsString("Bash: &lt;img src&#61;x onerror&#61;alert(1)&gt;"),
                    not(containsString("<img src=x")), not(containsString("<script>alert"))));
        }
    }

    /** Text in any script reaches the browser as the agent wrote it: the templates write UTF-8 straight out. */
    @Test
    void agentText_inAnyScript_arrivesAsWritten() {
        String text = "naïve — 日本語のテスト \uD83D\uDE80 → done";
        try (TestSidecar sidecar = TestSidecar.start()) {
            sidecar.hooks(Hooks.prompt("utf8-1", text), Hooks.pre("utf8-1", "Bash", "toolu_u", Hooks.bash(text))
                    .toString());
            for (String path : List.of("/views/activity-feed", "/views/sessions/utf8-1",
                    "/?tab=activity", "/sessions/utf8-1")) {
                assertThat(path, sidecar.get(path).body(), containsString("日本語のテスト \uD83D\uDE80 → done"));
            }
        }
    }

    @Test
    void emptyStore_teachesTheHookSettingsWithThisSidecarsUrl() {
        try (TestSidecar empty = TestSidecar.start()) {
            String body = empty.get("/views/activity-feed").body();
            String url = empty.uri("/api/hooks").toString();
            assertThat(body, allOf(containsString("No sessions yet"), containsString("&quot;PreToolUse&quot;"),
                    containsString(url.replace("=", "&#61;"))));
        }
    }

    @Test
    void aFailingView_answersAnEscapedHtmlFragmentWithTheSameStatus_whileTheApiKeepsJson() {
        Api.Answer bad = get("/views/sessions?status=bogus");
        assertThat(bad.status().code(), is(400));
        assertThat(contentType(bad), startsWith("text/html"));
        assertThat(bad.body(), allOf(startsWith("<div class=\"failure\" role=\"alert\" data-status=\"400\""),
                containsString("invalid_parameter"), containsString("must be one of active, ended, idle")));
        Api.Answer unknown = Api.answer(http.get().skipUriEncoding(true), // sent as encoded here, not again
                                        "/views/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E");
        assertThat(unknown.status().code(), is(404));
        assertThat(unknown.body(), allOf(containsString("data-status=\"404\""), containsString("&lt;img src&#61;x"),
                not(containsString("<img"))));
        assertThat(get("/views/turns/nope").body(), containsString("no turn &#39;nope&#39;"));
        Api.Answer page = get("/sessions/nope");
        assertThat(page.status().code(), is(404));
        assertThat(page.body(), allOf(containsString("role=\"tablist\""), containsString("data-status=\"404\""),
                containsString("Not Found"), containsString("aria-selected=\"true\" tabindex=\"0\">Sessions</a>")));
        Api.Answer api = get("/api/sessions?status=bogus");
        assertThat(api.status().code(), is(400));
        assertThat(api.json().get("error").asText(), is("invalid_parameter"));
        assertThat(html("/"), containsString("{\"code\":\"[45]..\",\"swap\":true,\"error\":true}"));
    }

    @Test
    void aBusyStore_answersAView503InHtml_withRetryAfter() throws Exception {
        try (TestSidecar busy = TestSidecar.start(Map.of("read-threads", "1", "read-queue", "1"));
             ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch release = busy.fillReadPool(callers);
            TestSidecar.Response refused = busy.get("/views/agents");
            release.countDown();
            assertThat(refused.status(), is(503));
            assertThat(refused.headers().get("retry-after"), is(List.of("1")));
            assertThat(refused.headers().get("content-type").get(0), startsWith("text/html"));
            assertThat(refused.body(), allOf(containsString("data-error=\"store_busy\""),
                    containsString("The store is busy")));
        }
    }

    @Test
    void sessionList_rowsShowTheirTurnsToolCallsErrorsTokensAndCost_andTheSessionPageItsLastActivity() {
        String list = html("/views/sessions");
        assertThat(list, allOf(containsString("<th scope=\"col\" class=\"num\">Turns</th>"),
                containsString("<th scope=\"col\">Last activity</th>"), not(containsString("hx-get=\"/views/sessions/"
                        + "demo-session-2/row\""))));
        String row = list.substring(list.indexOf("<tr data-session=\"demo-session-2\">"));
        assertThat(row, allOf(startsWith("<tr data-session=\"demo-session-2\"><td>"),
                containsString("<td class=\"num\">2</td><td class=\"num\">12</td><td class=\"num n-err\">2</td>"
                               + "<td class=\"num\">165,340</td><td class=\"num\">$0.3383</td>"
                               + "<td class=\"num\">20</td>")));
        assertThat(html("/sessions/demo-session-2"), containsString("<dt>last activity</dt><dd><time"));
        Api.Answer gone = get("/views/sessions/demo-session-2/row");
        assertThat(gone.status().code(), is(404));
    }
}
