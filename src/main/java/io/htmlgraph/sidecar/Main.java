package io.htmlgraph.sidecar;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.logging.Logger;

import io.helidon.logging.common.LogConfig;
import io.htmlgraph.sidecar.adopt.ImportCommand;
import io.htmlgraph.sidecar.config.SidecarConfig;

/** Starts htmlgraph-sidecar: {@code java -jar htmlgraph-sidecar.jar [--demo]}, or {@code … import PATH}. */
public final class Main {
    private static final Logger LOG = Logger.getLogger(Main.class.getName());

    private Main() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        if (args.length > 0 && args[0].equals("import")) {
            System.exit(ImportCommand.run(args, System.out, System.err));
        }
        Sidecar sidecar;
        SidecarConfig config;
        try {
            config = SidecarConfig.load(List.of(args).contains("--demo"));
            sidecar = Sidecar.start(config);
        } catch (RuntimeException e) {
            System.err.println("htmlgraph-sidecar cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(sidecar::close, "shutdown"));
        String base = "http://" + config.host() + ":" + sidecar.port();
        long sinceLaunch = ManagementFactory.getRuntimeMXBean().getUptime();
        LOG.info(() -> String.format("htmlgraph-sidecar started in %d ms%n"
                + "  dashboard          %s/%n"
                + "  JSON API           %s/api/sessions%n"
                + "  Claude Code hooks  POST %s/api/hooks%n"
                + "  metrics, health    http://%s:%d/metrics  /health%n"
                + "  database           %s",
                sinceLaunch, base, base, base, config.adminHost(), sidecar.adminPort(),
                config.db().toAbsolutePath()));
        if (!config.loopbackOnly() && config.writeToken().isEmpty()) {
            LOG.warning("WARNING: the main socket listens on " + config.host() + " without HTMLGRAPH_WRITE_TOKEN:"
                        + " anyone who can reach it can write events. Set HTMLGRAPH_WRITE_TOKEN (and"
                        + " HTMLGRAPH_READ_TOKEN) or bind HTMLGRAPH_HOST to 127.0.0.1.");
        }
    }
}
