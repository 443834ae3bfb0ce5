package io.htmlgraph.sidecar.live;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.websocket.WsUpgradeException;

/**
 * Which browsers may open the live stream: the upgrade must come from the sidecar's own origin (or one listed in
 * {@code HTMLGRAPH_ALLOWED_ORIGINS}); clients that send no {@code Origin} (scripts, CLIs) are not browsers and pass.
 * The read token, when set, is checked before this by the routes' token filter, as for every read.
 */
public final class Access {
    private final List<String> allowedOrigins;
    private final Predicate<Optional<String>> allowedHost;
    private final int maxClients;

    /**
     * @param allowedHost whether a {@code Host} header names this sidecar (DNS rebinding guard)
     * @param maxClients  at most this many clients at once; more are refused at the upgrade
     */
    public Access(List<String> allowedOrigins, Predicate<Optional<String>> allowedHost, int maxClients) {
        this.allowedOrigins = allowedOrigins;
        this.allowedHost = allowedHost;
        this.maxClients = maxClients;
    }

    int maxClients() {
        return maxClients;
    }

    void check(Headers headers) {
        if (!allowedHost.test(headers.first(HeaderNames.HOST))) {
            throw new WsUpgradeException("host " + headers.first(HeaderNames.HOST).orElse("") + " is not allowed");
        }
        headers.first(HeaderNames.ORIGIN).ifPresent(origin -> {
            String host = headers.first(HeaderNames.HOST).orElse("");
            if (!sameHost(origin, host) && !allowedOrigins.contains(origin)) {
                throw new WsUpgradeException("origin " + origin + " is not allowed");
            }
        });
    }

    private static boolean sameHost(String origin, String host) {
        try {
            URI uri = URI.create(origin);
            String authority = uri.getAuthority();
            return authority != null && authority.equalsIgnoreCase(host)
                   && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
