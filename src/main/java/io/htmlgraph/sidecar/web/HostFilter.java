package io.htmlgraph.sidecar.web;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.htmlgraph.sidecar.domain.ErrorCode;

/** Refuses requests addressed to a host name that is not ours (see {@link Hosts}): 421 with a JSON error. */
final class HostFilter implements Filter {
    private final Hosts hosts;
    private final Json json;
    private final IngestRoutes ingest;

    HostFilter(Hosts hosts, Json json, IngestRoutes ingest) {
        this.hosts = hosts;
        this.json = json;
        this.ingest = ingest;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long started = System.nanoTime();
        if (hosts.allowed(req.headers().first(HeaderNames.HOST))) {
            chain.proceed();
            return;
        }
        json.error(res, Status.MISDIRECTED_REQUEST_421, ErrorCode.HOST_NOT_ALLOWED,
                   "this sidecar answers loopback names, IP addresses and the names in HTMLGRAPH_ALLOWED_HOSTS only");
        ingest.refused(req, ErrorCode.HOST_NOT_ALLOWED, started);
    }
}
