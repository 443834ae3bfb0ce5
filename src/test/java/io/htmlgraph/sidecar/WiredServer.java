package io.htmlgraph.sidecar;

import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;

/**
 * A Helidon {@code @ServerTest} class on the real server with the production wiring, over one temporary store for
 * the whole class. Helidon's extension finds the {@code @SetUpServer} method in this superclass.
 */
public abstract class WiredServer {
    protected static WiredSidecar wired;
    protected final Http1Client http;

    protected WiredServer(Http1Client http) {
        this.http = http;
    }

    @SetUpServer
    public static void server(WebServerConfig.Builder server) {
        wired = WiredSidecar.on(server);
    }

    @AfterAll
    public static void closeStore() {
        wired.close();
    }
}
