package io.htmlgraph.sidecar.web;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.htmlgraph.sidecar.metrics.IngestMetrics;

/** Refuses requests addressed to a host name that is not ours (see {@link Hosts}): 421 with a JSON error. */
final class HostFilter implements Filter {
    private final Hosts hosts;
    private final Json json;
    private final IngestMetrics metrics;

    HostFilter(Hosts hosts, Json json, IngestMetrics metrics) {
        this.hosts = hosts;
        this.json = json;
        this.metrics = metrics;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (hosts.allowed(req.headers().first(HeaderNames.HOST))) {
            chain.proceed();
            return;
        }
        json.error(res, Status.MISDIRECTED_REQUEST_421, "host_not_allowed",
                   "this sidecar answers loopback names, IP addresses and the names in HTMLGRAPH_ALLOWED_HOSTS only");
        IngestService.source(req.path().path()).ifPresent(source -> metrics.rejected(source, "host_not_allowed"));
    }
}
