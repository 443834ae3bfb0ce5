package io.htmlgraph.sidecar;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import org.junit.jupiter.api.AfterAll;

/**
 * A Helidon {@code @RoutingTest} class on the production main routing, without a socket, over one temporary store
 * for the whole class. Helidon's extension finds the {@code @SetUpRoute} method in this superclass.
 */
public abstract class WiredRoutes {
    protected static WiredSidecar wired;
    protected final DirectClient http;

    protected WiredRoutes(DirectClient http) {
        this.http = http;
    }

    @SetUpRoute
    public static void routing(HttpRouting.Builder routing) {
        wired = WiredSidecar.serving(routing);
    }

    @AfterAll
    public static void closeStore() {
        wired.close();
    }
}
