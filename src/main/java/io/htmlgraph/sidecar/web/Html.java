package io.htmlgraph.sidecar.web;

import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.webserver.http.ServerResponse;

/**
 * Sends the dashboard's HTML with the headers that keep it safe: a Content-Security-Policy that allows only this
 * sidecar's own scripts, styles and connections (no inline script or style, no eval), no framing ({@link NoSniff}
 * adds no sniffing to every answer).
 */
final class Html {
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
    private static final HttpMediaType HTML = HttpMediaType.create("text/html; charset=UTF-8");

    private Html() {
    }

    /** HTML as UTF-8, as the templates render it. */
    static void send(ServerResponse res, byte[] html) {
        headers(res);
        res.headers().contentType(HTML);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        ResponseBodies.send(res, html);
    }

    /** The security headers every dashboard answer carries. */
    static void headers(ServerResponse res) {
        res.header("Content-Security-Policy", CSP);
        res.header("X-Frame-Options", "DENY");
        res.header("Referrer-Policy", "same-origin");
    }
}
