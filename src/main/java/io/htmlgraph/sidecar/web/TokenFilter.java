package io.htmlgraph.sidecar.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.htmlgraph.sidecar.domain.ErrorCode;

/**
 * Optional bearer tokens: with a write token set, every write (POST, PUT, PATCH, DELETE) needs
 * {@code Authorization: Bearer <write token>}; with a read token set, every read (including the WebSocket upgrade)
 * needs the read token, as that header or, on the WebSocket upgrade only, as {@code ?token=} (the write token is
 * accepted for reads too). A browser may prove a token with the dashboard's login cookie instead
 * ({@link LoginCookie}); a write it sends that way must also come from this sidecar's own page ({@code Origin}).
 * Writes that a browser sends from another site's page ({@code Origin} of another host, not in
 * {@code HTMLGRAPH_ALLOWED_ORIGINS}) are refused whatever they carry: hooks and scripts send no {@code Origin}.
 * The login page and the static files are open (they hold no data).
 */
final class TokenFilter implements Filter {
    private final Optional<byte[]> writeToken;
    private final Optional<byte[]> readToken;
    private final Json json;
    private final IngestRoutes ingest;
    private final LoginCookie cookie;
    private final List<String> allowedOrigins;

    TokenFilter(Optional<String> writeToken, Optional<String> readToken, Json json, IngestRoutes ingest,
                LoginCookie cookie, List<String> allowedOrigins) {
        this.writeToken = writeToken.map(t -> t.getBytes(StandardCharsets.UTF_8));
        this.readToken = readToken.map(t -> t.getBytes(StandardCharsets.UTF_8));
        this.json = json;
        this.ingest = ingest;
        this.cookie = cookie;
        this.allowedOrigins = allowedOrigins;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long started = System.nanoTime();
        String path = req.path().path();
        if (path.equals("/login") || path.startsWith("/static/")) {
            chain.proceed();
            return;
        }
        Method method = req.prologue().method();
        boolean write = method == Method.POST || method == Method.PUT || method == Method.PATCH
                        || method == Method.DELETE;
        Optional<String> origin = req.headers().first(HeaderNames.ORIGIN);
        if (write && origin.isPresent() && !ownOrigin(origin.get(), req)) {
            json.error(res, Status.FORBIDDEN_403, ErrorCode.FORBIDDEN_ORIGIN, "writes from a page of " + origin.get()
                    + " are refused (list it in HTMLGRAPH_ALLOWED_ORIGINS to allow it)");
            return;
        }
        if (allowed(req, write, origin.isPresent())) {
            chain.proceed();
            return;
        }
        refuse(req, res, write, started);
    }

    /** Whether the request shows the token its kind needs (a write by cookie only from the page's own origin). */
    private boolean allowed(RoutingRequest req, boolean write, boolean fromPage) {
        Optional<byte[]> presented = req.headers().first(HeaderNames.AUTHORIZATION)
                .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(h -> h.substring(7).trim())
                // browsers cannot set headers on a WebSocket upgrade: only it may pass ?token= (a token in any other
                // URL would end up in access logs and browser history)
                .or(() -> isUpgrade(req) ? req.query().first("token").asOptional() : Optional.empty())
                .map(t -> t.getBytes(StandardCharsets.UTF_8));
        Optional<LoginCookie.Level> login = cookie.level(req.headers());
        return write
                ? writeToken.isEmpty() || same(writeToken, presented)
                  || login.filter(l -> l == LoginCookie.Level.WRITE).isPresent() && fromPage
                : readToken.isEmpty() || same(readToken, presented) || same(writeToken, presented) || login.isPresent();
    }

    /** A browser asking for a page goes to the login form; anyone else gets a JSON 401. */
    private void refuse(RoutingRequest req, RoutingResponse res, boolean write, long started) {
        if (!write && req.headers().first(HeaderNames.ACCEPT).map(a -> a.contains("text/html")).orElse(false)) {
            res.status(Status.SEE_OTHER_303).header(HeaderNames.LOCATION, "/login").send();
            return;
        }
        res.header("WWW-Authenticate", "Bearer");
        json.error(res, Status.UNAUTHORIZED_401, ErrorCode.UNAUTHORIZED,
                   (write ? "writes" : "reads") + " need 'Authorization: Bearer <token>' with the "
                   + (write ? "write" : "read") + " token");
        if (write) {
            ingest.refused(req, ErrorCode.UNAUTHORIZED, started);
        }
    }

    /** Whether a browser's {@code Origin} is this sidecar (as the request's Host names it) or an allowed one. */
    private boolean ownOrigin(String origin, RoutingRequest req) {
        String host = req.headers().first(HeaderNames.HOST).orElse("");
        return allowedOrigins.contains(origin) || origin.equalsIgnoreCase("http://" + host)
               || origin.equalsIgnoreCase("https://" + host);
    }

    private static boolean isUpgrade(RoutingRequest req) {
        return req.prologue().method() == Method.GET
               && req.headers().first(HeaderNames.UPGRADE).map(u -> u.equalsIgnoreCase("websocket")).orElse(false);
    }

    /** Whether a token is configured and the presented one equals it (compared in constant time). */
    private static boolean same(Optional<byte[]> expected, Optional<byte[]> presented) {
        return expected.isPresent() && presented.isPresent() && MessageDigest.isEqual(expected.get(), presented.get());
    }
}
