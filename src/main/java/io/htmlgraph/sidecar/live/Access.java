package io.htmlgraph.sidecar.live;

import java.net.URI;
import java.util.List;

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

    public Access(List<String> allowedOrigins) {
        this.allowedOrigins = allowedOrigins;
    }

    void check(Headers headers) {
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
