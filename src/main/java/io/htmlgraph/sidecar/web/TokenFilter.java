package io.htmlgraph.sidecar.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.htmlgraph.sidecar.metrics.IngestMetrics;

/**
 * Optional bearer tokens: with a write token set, every write (POST, PUT, PATCH, DELETE) needs
 * {@code Authorization: Bearer <write token>}; with a read token set, every read (including the WebSocket upgrade)
 * needs the read token, as that header or, on the WebSocket upgrade only, as {@code ?token=} (the write token is
 * accepted for reads too).
 */
final class TokenFilter implements Filter {
    private final Optional<byte[]> writeToken;
    private final Optional<byte[]> readToken;
    private final Json json;
    private final IngestMetrics metrics;

    TokenFilter(Optional<String> writeToken, Optional<String> readToken, Json json, IngestMetrics metrics) {
        this.writeToken = writeToken.map(t -> t.getBytes(StandardCharsets.UTF_8));
        this.readToken = readToken.map(t -> t.getBytes(StandardCharsets.UTF_8));
        this.json = json;
        this.metrics = metrics;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long started = System.nanoTime();
        Method method = req.prologue().method();
        boolean write = method == Method.POST || method == Method.PUT || method == Method.PATCH
                        || method == Method.DELETE;
        Optional<byte[]> presented = req.headers().first(HeaderNames.AUTHORIZATION)
                .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(h -> h.substring(7).trim())
                // browsers cannot set headers on a WebSocket upgrade: only it may pass ?token= (a token in any other
                // URL would end up in access logs and browser history)
                .or(() -> isUpgrade(req) ? req.query().first("token").asOptional() : Optional.empty())
                .map(t -> t.getBytes(StandardCharsets.UTF_8));
        boolean allowed = write
                ? writeToken.isEmpty() || same(writeToken, presented)
                : readToken.isEmpty() || same(readToken, presented) || same(writeToken, presented);
        if (allowed) {
            chain.proceed();
            return;
        }
        res.header("WWW-Authenticate", "Bearer");
        json.error(res, Status.UNAUTHORIZED_401, "unauthorized",
                   (write ? "writes" : "reads") + " need 'Authorization: Bearer <token>' with the "
                   + (write ? "write" : "read") + " token");
        if (write) {
            IngestService.source(req.path().path()).ifPresent(source -> {
                metrics.rejected(source, "unauthorized");
                metrics.answered(source, System.nanoTime() - started);
            });
        }
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
