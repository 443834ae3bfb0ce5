package io.htmlgraph.sidecar.web;

import io.helidon.http.Header;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Every answer says {@code X-Content-Type-Options: nosniff}, so a browser takes JSON, NDJSON, scripts and HTML as the
 * type they are sent with and never reads agent text in a JSON answer as a page or a script.
 */
final class NoSniff implements Filter {
    static final Header HEADER = HeaderValues.createCached("X-Content-Type-Options", "nosniff");

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        res.header(HEADER);
        chain.proceed();
    }
}
