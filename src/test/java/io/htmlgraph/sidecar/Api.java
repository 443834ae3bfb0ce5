package io.htmlgraph.sidecar;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The JSON API through Helidon's test clients ({@code Http1Client} of a {@code @ServerTest}, {@code DirectClient} of
 * a {@code @RoutingTest}): paths with their query, JSON bodies, whole answers read.
 */
public final class Api {
    /** A loopback name: the sidecar answers no other host unless configured (a direct client names none). */
    private static final String HOST = "localhost";

    private Api() {
    }

    /** An answer read whole. */
    public record Answer(Status status, String body, Headers headers) {
        public JsonNode json() {
            return parse(body);
        }
    }

    /** GETs a path (with its query) and returns its JSON; the answer must be 200. */
    public static JsonNode get(Http1Client http, String pathAndQuery) {
        Answer answer = send(request(http.get(), pathAndQuery));
        assertThat(pathAndQuery + " -> " + answer.body(), answer.status(), is(Status.OK_200));
        return answer.json();
    }

    /** GETs a path (with its query) and returns the whole answer, whatever its status. */
    public static Answer answer(Http1Client http, String pathAndQuery, String... headers) {
        Http1ClientRequest request = request(http.get(), pathAndQuery);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(HeaderNames.create(headers[i]), headers[i + 1]);
        }
        return send(request);
    }

    /** Sends a prepared GET (e.g. one that skips URI encoding) to a path and returns the whole answer. */
    public static Answer answer(Http1ClientRequest get, String pathAndQuery) {
        return send(request(get, pathAndQuery));
    }

    /** Sends a JSON body with any method (PATCH, PUT ...). */
    public static Answer send(Http1Client http, Method method, String path, String json) {
        try (Http1ClientResponse response = http.method(method).path(path).header(HeaderNames.HOST, HOST)
                .header(HeaderNames.CONTENT_TYPE, "application/json").submit(json)) {
            return new Answer(response.status(), response.as(String.class), response.headers());
        }
    }

    /** POSTs a binary body (protobuf, gzip); the answer's body is its bytes as ISO-8859-1 text, one char a byte. */
    public static Answer postBytes(Http1Client http, String path, byte[] body, String contentType, String... headers) {
        Http1ClientRequest request = http.post(path).header(HeaderNames.HOST, HOST)
                .header(HeaderNames.CONTENT_TYPE, contentType);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(HeaderNames.create(headers[i]), headers[i + 1]);
        }
        try (Http1ClientResponse response = request.submit(body)) {
            byte[] bytes = response.entity().hasEntity() ? response.as(byte[].class) : new byte[0];
            return new Answer(response.status(), new String(bytes, StandardCharsets.ISO_8859_1), response.headers());
        }
    }

    /** POSTs a JSON body. */
    public static Answer post(Http1Client http, String path, String json) {
        return post(http, path, json, "application/json");
    }

    public static Answer post(Http1Client http, String path, String body, String contentType, String... headers) {
        Http1ClientRequest request = http.post(path).header(HeaderNames.HOST, HOST)
                .header(HeaderNames.CONTENT_TYPE, contentType);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(HeaderNames.create(headers[i]), headers[i + 1]);
        }
        try (Http1ClientResponse response = request.submit(body)) {
            return new Answer(response.status(), response.as(String.class), response.headers());
        }
    }

    /** How many events the store holds, as {@code /api/initial-stats} counts them. */
    public static long storedEvents(Http1Client http) {
        return get(http, "/api/initial-stats").get("total_events").asLong();
    }

    /** POSTs hook payloads one request each, as Claude Code does; each must be accepted. */
    public static void hooks(Http1Client http, String... payloads) {
        for (String payload : payloads) {
            Answer answer = post(http, "/api/hooks", payload);
            assertThat(payload + " -> " + answer.body(), answer.status(), is(Status.OK_200));
        }
    }

    private static Http1ClientRequest request(Http1ClientRequest request, String pathAndQuery) {
        int query = pathAndQuery.indexOf('?');
        request.header(HeaderNames.HOST, HOST).path(query < 0 ? pathAndQuery : pathAndQuery.substring(0, query));
        if (query >= 0) {
            for (String param : pathAndQuery.substring(query + 1).split("&")) {
                int eq = param.indexOf('=');
                request.queryParam(param.substring(0, eq), param.substring(eq + 1));
            }
        }
        return request;
    }

    private static Answer send(Http1ClientRequest request) {
        try (Http1ClientResponse response = request.request()) {
            return new Answer(response.status(), response.as(String.class), response.headers());
        }
    }

    private static JsonNode parse(String body) {
        try {
            return TestSidecar.JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
