package io.htmlgraph.sidecar;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.htmlgraph.sidecar.config.SidecarConfig;

/**
 * The production wiring ({@link Sidecar#wire}) on the server of a Helidon {@code @ServerTest} (or the routing of a
 * {@code @RoutingTest}): its own SQLite file in a temp dir, the admin socket (named {@code admin}) on a free port.
 * Create it in the test's {@code @SetUpServer} method and close it in {@code @AfterAll}; Helidon starts and stops
 * the server.
 */
public final class WiredSidecar implements AutoCloseable {
    private final Path dir;
    private final Sidecar sidecar;

    private WiredSidecar(Path dir, Sidecar sidecar) {
        this.dir = dir;
        this.sidecar = sidecar;
    }

    public static WiredSidecar on(WebServerConfig.Builder server) {
        return on(server, Map.of());
    }

    /** With config overrides (keys without the {@code htmlgraph.} prefix). */
    public static WiredSidecar on(WebServerConfig.Builder server, Map<String, String> overrides) {
        try {
            Path dir = Files.createTempDirectory("sidecar-test");
            Map<String, String> config = new HashMap<>(Map.of("db", dir.resolve("test.db").toString(), "port", "0",
                                                              "admin.port", "0", "admin.host", "127.0.0.1"));
            config.putAll(overrides);
            return new WiredSidecar(dir, Sidecar.wire(SidecarConfig.withOverrides(config), server));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The production main routing on a {@code @RoutingTest}'s routing (no socket): the sockets and features go onto
     * a server that is never started.
     */
    public static WiredSidecar serving(HttpRouting.Builder routing) {
        WiredSidecar wired = on(WebServer.builder());
        wired.sidecar().mainRouting().accept(routing);
        return wired;
    }

    /** The sidecar itself (its metrics, its routing). */
    public Sidecar sidecar() {
        return sidecar;
    }

    public Path db() {
        return dir.resolve("test.db");
    }

    /** Changes the database file behind the sidecar's back (to build states ingest never makes). */
    public void execute(String sql) {
        TestSidecar.execute(db(), sql);
    }

    @Override
    public void close() {
        sidecar.close();
    }
}
