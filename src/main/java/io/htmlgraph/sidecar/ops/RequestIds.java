package io.htmlgraph.sidecar.ops;

import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Gives each request an id (the caller's {@code X-Request-Id} when it is a short plain token, else a new one),
 * answers with it, and holds it for the log lines written while the request is handled.
 */
public final class RequestIds implements Filter {
    /** The header carrying the id both ways. */
    public static final HeaderName HEADER = HeaderNames.create("X-Request-Id");
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    /** The id of the request this thread handles, if any. */
    public static Optional<String> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String id = req.headers().first(HEADER).filter(v -> v.matches("[A-Za-z0-9._:-]{1,64}"))
                .orElseGet(() -> Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE));
        res.header(HEADER, id);
        CURRENT.set(id);
        try {
            chain.proceed();
        } finally {
            CURRENT.remove();
        }
    }
}
