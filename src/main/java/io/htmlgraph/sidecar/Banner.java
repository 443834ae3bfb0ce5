package io.htmlgraph.sidecar;

import java.lang.management.ManagementFactory;
import java.util.logging.Logger;

import io.htmlgraph.sidecar.config.SidecarConfig;

/** The start-up lines: addresses a person can open (loopback for a socket on all addresses), and warnings. */
final class Banner {
    private static final Logger LOG = Logger.getLogger(Main.class.getName());

    private Banner() {
    }

    static void print(SidecarConfig config, Sidecar sidecar) {
        String base = "http://" + openable(config.host()) + ":" + sidecar.port();
        String admin = "http://" + openable(config.adminHost()) + ":" + sidecar.adminPort();
        long sinceLaunch = ManagementFactory.getRuntimeMXBean().getUptime();
        LOG.info(() -> String.format("htmlgraph-sidecar %s started in %d ms%n"
                + "  dashboard          %s/%n"
                + "  JSON API           %s/api/sessions%n"
                + "  Claude Code hooks  POST %s/api/hooks%n"
                + "  metrics            %s/metrics%n"
                + "  health             %s/health%n"
                + "  database           %s%s",
                Commands.version(), sinceLaunch, base, base, base, admin, admin,
                config.db().toAbsolutePath().normalize(),
                config.retention().map(r -> "  (events older than " + Commands.human(r) + " are pruned)").orElse("")));
        if (!config.loopbackOnly() && config.writeToken().isEmpty()) {
            LOG.warning("WARNING: the main socket listens on " + config.host() + " without HTMLGRAPH_WRITE_TOKEN:"
                        + " anyone who can reach it can write events. Set HTMLGRAPH_WRITE_TOKEN (and"
                        + " HTMLGRAPH_READ_TOKEN) or bind HTMLGRAPH_HOST to 127.0.0.1.");
        }
    }

    /** An address to open in a browser: a socket on all addresses is reached through the loopback one. */
    static String openable(String host) {
        return switch (host) {
            case "0.0.0.0" -> "127.0.0.1";
            case "::", "[::]", "::0" -> "[::1]";
            default -> host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        };
    }
}
