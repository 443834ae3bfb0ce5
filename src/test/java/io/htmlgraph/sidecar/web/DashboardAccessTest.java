package io.htmlgraph.sidecar.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import io.htmlgraph.sidecar.TestSidecar;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * The dashboard with a read token: a login form sets an HttpOnly, SameSite=Strict cookie that reads (and the
 * WebSocket) accept, the token never in a URL; writes a browser sends from another site's page are refused.
 */
class DashboardAccessTest {
    private static final String FEATURE = "{\"title\":\"From a page\"}";

    @Test
    void loginForm_setsAStrictHttpOnlyCookie_thatOpensTheDashboardTheApiAndTheLiveStream() throws Exception {
        try (TestSidecar sidecar = TestSidecar.start(Map.of("read-token", "r-secret"))) {
            TestSidecar.Response bounced = sidecar.get("/?tab=agents", "Accept", "text/html");
            assertThat(bounced.status(), is(303));
            assertThat(bounced.headers().get("location").get(0), is("/login"));
            assertThat(sidecar.get("/login").body(), containsString("<form method=\"post\" action=\"/login\">"));
            assertThat(sidecar.get("/static/app.css").status(), is(200));

            TestSidecar.Response wrong = sidecar.post("/login", "token=nope", "Content-Type",
                    "application/x-www-form-urlencoded");
            assertThat(wrong.status(), is(401));
            assertThat(wrong.headers().containsKey("set-cookie"), is(false));

            TestSidecar.Response login = sidecar.post("/login", "token=r-secret", "Content-Type",
                    "application/x-www-form-urlencoded");
            assertThat(login.status(), is(303));
            String setCookie = login.headers().get("set-cookie").get(0);
            assertThat(setCookie, allOf(containsString("HttpOnly"), containsString("SameSite=Strict"),
                    containsString("Path=/"), not(containsString("r-secret"))));
            String cookie = setCookie.substring(0, setCookie.indexOf(';'));

            assertThat(sidecar.get("/", "Cookie", cookie).status(), is(200));
            assertThat(sidecar.get("/api/sessions", "Cookie", cookie).status(), is(200));
            assertThat(sidecar.get("/api/sessions", "Cookie", "htmlgraph_auth=forged").status(), is(401));
            assertThat(openWebSocket(sidecar, cookie), is(true));
            assertThat(openWebSocket(sidecar, "htmlgraph_auth=forged"), is(false));
        }
    }

    @Test
    void cookieWrites_needTheWriteTokensCookie_andThePagesOwnOrigin() {
        try (TestSidecar sidecar = TestSidecar.start(Map.of("read-token", "r-secret", "write-token", "w-secret"))) {
            String read = cookie(sidecar, "r-secret");
            String write = cookie(sidecar, "w-secret");
            String own = "http://" + sidecar.uri("/").getAuthority();
            assertThat(sidecar.post("/api/features", FEATURE, "Content-Type", "application/json", "Cookie", read,
                    "Origin", own).status(), is(401));
            assertThat(sidecar.post("/api/features", FEATURE, "Content-Type", "application/json", "Cookie", write)
                    .status(), is(401));
            assertThat(sidecar.post("/api/features", FEATURE, "Content-Type", "application/json", "Cookie", write,
                    "Origin", "http://evil.example").status(), is(403));
            assertThat(sidecar.get("/api/features", "Authorization", "Bearer r-secret").json().size(),
                       is(0));
            assertThat(sidecar.post("/api/features", FEATURE, "Content-Type", "application/json", "Cookie", write,
                    "Origin", own).status(), is(201));
        }
    }

    @Test
    void writesFromAnotherSitesPage_areRefused_evenWithoutTokens() {
        try (TestSidecar sidecar = TestSidecar.start()) {
            TestSidecar.Response refused = sidecar.post("/api/features", FEATURE, "Content-Type", "text/plain",
                    "Origin", "http://evil.example");
            assertThat(refused.status(), is(403));
            assertThat(refused.json().get("error").asText(), is("forbidden_origin"));
            assertThat(sidecar.post("/api/features", FEATURE, "Origin", "null").status(), is(403));
            assertThat(sidecar.get("/api/features").json().size(), is(0));
            assertThat(sidecar.post("/api/features", FEATURE, "Content-Type", "application/json", "Origin",
                    "http://" + sidecar.uri("/").getAuthority()).status(), is(201));
        }
    }

    private static String cookie(TestSidecar sidecar, String token) {
        String setCookie = sidecar.post("/login", "token=" + token, "Content-Type",
                "application/x-www-form-urlencoded").headers().get("set-cookie").get(0);
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    /** Whether {@code /ws/events} accepts an upgrade carrying this cookie. */
    private static boolean openWebSocket(TestSidecar sidecar, String cookie) throws Exception {
        URI uri = URI.create(sidecar.uri("/ws/events?since=0").toString().replaceFirst("^http", "ws"));
        try {
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().header("Cookie", cookie)
                    .buildAsync(uri, new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                            webSocket.request(1);
                            return CompletableFuture.completedFuture(null);
                        }
                    }).get(5, TimeUnit.SECONDS);
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
            return true;
        } catch (java.util.concurrent.ExecutionException e) {
            return false;
        }
    }

}
