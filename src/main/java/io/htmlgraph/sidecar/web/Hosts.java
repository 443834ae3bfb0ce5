package io.htmlgraph.sidecar.web;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which {@code Host} names the main socket answers to. A web page can rebind its own DNS name to 127.0.0.1 and then
 * read a token-less sidecar as "same origin" (DNS rebinding); the browser still sends the page's name as Host, so
 * answering only loopback names, IP literals and the names listed in {@code HTMLGRAPH_ALLOWED_HOSTS} stops it.
 */
public final class Hosts {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(?:\\.\\d{1,3}){3}");

    private final List<String> allowed;
    /** The last {@code Host} header found allowed: nearly every request repeats it (a regex per request: ~1.5 %). */
    private volatile String lastAllowed;

    /**
     * @param allowedHosts names (lowercase) answered besides loopback ones; {@code .example.com} allows subdomains
     * @param bindHost     the configured listen host, allowed when it is a name
     */
    public Hosts(List<String> allowedHosts, String bindHost) {
        this.allowed = java.util.stream.Stream.concat(allowedHosts.stream(), java.util.stream.Stream.of(bindHost))
                .map(h -> h.toLowerCase(Locale.ROOT)).toList();
    }

    /** Whether a request with this {@code Host} header may be answered (no header: not a browser, allowed). */
    public boolean allowed(Optional<String> hostHeader) {
        return hostHeader.map(this::allowed).orElse(true);
    }

    boolean allowed(String hostHeader) {
        if (hostHeader.equals(lastAllowed)) {
            return true;
        }
        boolean allowed = decide(hostHeader);
        if (allowed) {
            lastAllowed = hostHeader;
        }
        return allowed;
    }

    private boolean decide(String hostHeader) {
        String host = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            return true; // an IPv6 literal
        }
        int colon = host.indexOf(':');
        if (colon >= 0) {
            if (host.indexOf(':', colon + 1) >= 0) {
                return true; // a bare IPv6 literal
            }
            host = host.substring(0, colon);
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (IPV4.matcher(host).matches() || host.equals("localhost") || host.endsWith(".localhost")) {
            return true;
        }
        for (String name : allowed) {
            if (name.equals(host) || name.startsWith(".") && host.endsWith(name)) {
                return true;
            }
        }
        return false;
    }
}
