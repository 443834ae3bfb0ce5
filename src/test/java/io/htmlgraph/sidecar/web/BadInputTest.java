package io.htmlgraph.sidecar.web;

import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.htmlgraph.sidecar.TestSidecar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.htmlgraph.sidecar.Hooks.bash;
import static io.htmlgraph.sidecar.Hooks.post;
import static io.htmlgraph.sidecar.Hooks.pre;
import static io.htmlgraph.sidecar.Hooks.prompt;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/** Each class of bad input gets a clear 4xx JSON error, stores nothing, and leaves the server healthy. */
class BadInputTest {
    private static final int MAX_BODY = 64 * 1024;
    private static TestSidecar sidecar;

    @BeforeAll
    static void start() {
        sidecar = TestSidecar.start(Map.of("max-body-bytes", String.valueOf(MAX_BODY), "payload-max-bytes", "4096"));
    }

    @AfterAll
    static void stopSidecar() {
        sidecar.close();
    }

    private long eventsBefore;
    private long sessionsBefore;

    @BeforeEach
    void countRows() {
        eventsBefore = sidecar.storedEvents();
        sessionsBefore = sidecar.storedSessions();
    }

    @AfterEach
    void serverStaysHealthy() {
        assertThat(sidecar.send(HttpRequest.newBuilder(sidecar.adminUri("/health/ready")).build()).status(), is(200));
    }

    @Test
    void malformedJson_is400_withWhereItBroke() {
        assertError(sidecar.post("/api/hooks", "{\"session_id\": \"s\", \"hook_event_name\": "), 400, "malformed_json",
                    "line 1");
        assertNothingStored();
    }

    @Test
    void wrongFieldType_is400_namingTheField() {
        String event = post("s-type", "Bash", "t1", bash("ls"), 1, "").put("duration_ms", "fast").toString();
        assertError(sidecar.post("/api/hooks", event), 400, "invalid_field", "'duration_ms' must be a number");
        assertError(sidecar.post("/api/hooks", "{\"session_id\": 42, \"hook_event_name\": \"Stop\"}"), 400,
                    "invalid_field", "'session_id' must be a non-empty string");
        assertNothingStored();
    }

    @Test
    void missingSessionId_is400() {
        assertError(sidecar.post("/api/hooks", "{\"hook_event_name\": \"Stop\"}"), 400, "missing_field",
                    "'session_id' is required");
    }

    @Test
    void missingHookEventName_is400() {
        assertError(sidecar.post("/api/hooks", "{\"session_id\": \"s\"}"), 400, "missing_field",
                    "'hook_event_name' is required");
        assertError(sidecar.post("/api/hooks/Stop", "{\"session_id\": \"s\", \"hook_event_name\": \"PreToolUse\"}"),
                    400, "invalid_field", "the URL names 'Stop'");
        assertError(sidecar.post("/api/hooks", "{\"session_id\": \"s\", \"hook_event_name\": \"<script>\"}"),
                    400, "invalid_field", "must be a hook name");
        assertNothingStored();
    }

    @Test
    void unsupportedMediaType_is415() {
        assertError(sidecar.post("/api/hooks", prompt("s-415", "x"),
                                 "Content-Type", "application/x-www-form-urlencoded"),
                    415, "unsupported_media_type", "application/json");
        assertNothingStored();
    }

    @Test
    void oversizeBody_is413_whetherDeclaredOrStreamed() {
        String big = "{\"session_id\":\"s-big\",\"hook_event_name\":\"Stop\",\"x\":\"" + "a".repeat(MAX_BODY) + "\"}";
        assertError(sidecar.post("/api/hooks", big), 413, "payload_too_large", "HTMLGRAPH_MAX_BODY_BYTES");
        HttpRequest chunked = HttpRequest.newBuilder(sidecar.uri("/api/hooks"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big.getBytes())))
                .build();
        assertError(sidecar.send(chunked), 413, "payload_too_large", "bytes");
        assertNothingStored();
    }

    @Test
    void batchWithOneBadElement_storesNothing_andNamesTheElement() {
        String batch = "[" + prompt("s-batchbad", "ok") + ",{\"session_id\":\"s-batchbad\"},"
                       + prompt("s-batchbad", "ok2") + "]";
        assertError(sidecar.post("/api/hooks", batch), 400, "missing_field", "element 1: 'hook_event_name'");
        String ndjson = prompt("s-batchbad", "ok") + "\n[1,2]\n";
        assertError(sidecar.post("/api/hooks", ndjson, "Content-Type", "application/x-ndjson"), 400, "invalid_event",
                    "element 1: expected a JSON object");
        assertNothingStored();
    }

    @Test
    void batchCutShortAtALineBoundary_storesNothing() throws Exception {
        String lines = prompt("s-cut", "one") + "\n" + prompt("s-cut", "two") + "\n";
        try (Socket socket = new Socket("127.0.0.1", sidecar.uri("/").getPort())) {
            socket.setSoTimeout(5000);
            byte[] body = lines.getBytes(StandardCharsets.UTF_8);
            socket.getOutputStream().write(("POST /api/hooks HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/x-ndjson\r\nContent-Length: " + (body.length + 500) + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(body);
            socket.shutdownOutput(); // the client goes away after two whole lines of the declared body
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer, startsWith("HTTP/1.1 400"));
            assertThat(answer, containsString("\"error\":\"bad_request\""));
        }
        assertNothingStored();
    }

    @Test
    void emptyOrNonObjectBodies_are400() {
        assertError(sidecar.post("/api/hooks", "  "), 400, "empty_body", "empty");
        assertError(sidecar.post("/api/hooks", "[]"), 400, "empty_body", "array is empty");
        assertError(sidecar.post("/api/hooks", "\"text\""), 400, "invalid_event", "expected a JSON object");
        assertError(sidecar.post("/api/hooks", "{\"a\":1} trailing"), 400, "malformed_json", "");
        assertError(sidecar.post("/api/hooks", "[" + "[".repeat(500) + "]".repeat(500) + "]"), 400,
                    "malformed_json", "");
    }

    @Test
    void overlongIds_are400() {
        String event = pre("s-long", "Bash", "t".repeat(300), bash("ls")).toString();
        assertError(sidecar.post("/api/hooks", event), 400, "invalid_field", "'tool_use_id' is longer than 256");
    }

    @Test
    void secretsInPayloads_areMaskedBeforeStorage() {
        var input = bash("curl -H 'Authorization: Bearer abcdefghijklmnopqrstuvwxyz123456' https://x"
                         + " && export ANTHROPIC_API_KEY=sk-ant-api03-AAAAAAAAAAAAAAAAAAAAAAAA"
                         + " STRIPE_SECRET_KEY=sk_live_BBBBBBBBBBBBBBBBBBBB AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMIK7MDENG"
                         + " && curl -H 'Authorization: Basic dXNlcjpwYXNzd29yZDEyMzQ=' https://y");
        input.put("api_key", "plain-secret-value").put("password", "hunter2")
                .put("aws_secret_access_key", "also-secret-value");
        input.putObject("credentials").put("user", "bob").put("pass", "nested-secret-value");
        sidecar.hooks(pre("s-secret", "Bash", "t-secret", input).toString());
        String stored = exported(sidecar, "s-secret", "t-secret"); // the stored event with its payload
        assertThat(stored, not(containsString("abcdefghijklmnopqrstuvwxyz123456")));
        assertThat(stored, not(containsString("sk-ant-api03")));
        assertThat(stored, not(containsString("plain-secret-value")));
        assertThat(stored, not(containsString("hunter2")));
        assertThat(stored, not(containsString("sk_live_BBBB")));
        assertThat(stored, not(containsString("wJalrXUtnFEMIK7MDENG")));
        assertThat(stored, not(containsString("dXNlcjpwYXNzd29yZDEyMzQ")));
        assertThat(stored, not(containsString("also-secret-value")));
        assertThat(stored, not(containsString("nested-secret-value")));
        assertThat(stored, containsString("[masked]"));
        assertThat(stored, containsString("curl -H"));
    }

    @Test
    void largeValidPayloads_areAccepted_andTruncatedOnStorage() {
        var post = post("s-large", "Read", "t-large", bash("cat big.log"), 5, "line\n".repeat(10_000));
        assertThat(sidecar.post("/api/hooks", post.toString()).status(), is(200));
        String line = exported(sidecar, "s-large", "t-large");
        String payload = line.substring(line.indexOf(",\"payload\":") + ",\"payload\":".length(), line.length() - 1);
        assertThat(payload.length(), lessThanOrEqualTo(4096));
        assertThat(payload, containsString("truncated"));
    }

    /** The cap counts stored bytes: 2,600 characters of 3 bytes each are over 4,096 bytes though under 4,096 chars. */
    @Test
    void multiBytePayloads_areCappedInBytes() {
        var post = post("s-wide", "Read", "t-wide", bash("€".repeat(1300)), 5, "€".repeat(1300));
        assertThat(sidecar.post("/api/hooks", post.toString()).status(), is(200));
        String line = exported(sidecar, "s-wide", "t-wide");
        String payload = line.substring(line.indexOf(",\"payload\":") + ",\"payload\":".length(), line.length() - 1);
        assertThat(payload.getBytes(StandardCharsets.UTF_8).length, lessThanOrEqualTo(4096));
        assertThat(payload, containsString("€"));
    }

    @Test
    void metadataOnlyMode_keepsIdsSizesAndHashes_butNoPromptOrToolText() throws Exception {
        try (TestSidecar quiet = TestSidecar.start(Map.of("metadata-only", "true"))) {
            quiet.hooks(prompt("s-meta", "my secret plan for the merger"),
                    pre("s-meta", "Bash", "t-meta", bash("cat /home/dev/confidential.txt")).toString());
            String stored = quiet.get("/api/export?session_id=s-meta").body();
            assertThat(stored, not(containsString("merger")));
            assertThat(stored, not(containsString("confidential")));
            assertThat(stored, containsString("sha256:"));
            assertThat(TestSidecar.JSON.readTree(exported(quiet, "s-meta", "t-meta")).get("tool_name").asText(),
                       is("Bash"));
        }
    }

    @Test
    void unknownRoutes_andBadQueryParameters_areJsonErrors() {
        assertError(sidecar.get("/api/nothing-here"), 404, "not_found", "GET /api/nothing-here");
        assertError(sidecar.get("/api/events?limit=100000"), 400, "invalid_parameter", "'limit' must be between 1 and");
        assertError(sidecar.get("/api/events?limit=ten"), 400, "invalid_parameter", "'limit' must be a whole number");
        assertError(sidecar.get("/api/events?offset=-1"), 400, "invalid_parameter", "'offset'");
        assertError(sidecar.get("/api/sessions?status=sleeping"), 400, "invalid_parameter", "'status' must be one of");
    }

    /** The session's event with this tool_use_id as {@code /api/export} streams it: row, then stored payload. */
    private static String exported(TestSidecar s, String session, String toolUseId) {
        TestSidecar.Response export = s.get("/api/export?session_id=" + session);
        assertThat(export.body(), export.status(), is(200));
        String id = "\"tool_use_id\":\"" + toolUseId + "\"";
        List<String> lines = export.body().lines().filter(l -> l.contains(id)).toList();
        assertThat(lines.size(), is(1));
        return lines.get(0);
    }

    private static void assertError(TestSidecar.Response response, int status, String error, String detail) {
        assertThat(response.body(), response.status(), is(status));
        assertThat(response.json().get("error").asText(), is(error));
        assertThat(response.json().get("detail").asText(), containsString(detail));
        assertThat(response.headers().get("content-type").get(0), containsString("application/json"));
        assertThat(response.headers().get("x-content-type-options"), is(List.of("nosniff")));
    }

    private void assertNothingStored() {
        assertThat(sidecar.storedEvents(), is(eventsBefore));
        assertThat(sidecar.storedSessions(), is(sessionsBefore));
    }
}
