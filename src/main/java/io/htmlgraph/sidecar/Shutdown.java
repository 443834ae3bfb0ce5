package io.htmlgraph.sidecar;

import java.util.logging.Logger;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT stop the sidecar gracefully and exit 0 (a stop asked for is not a failure): the shutdown hook
 * closes it in order (see {@link Sidecar#close()}). Without the signal handlers the JVM would exit 143 / 130.
 */
final class Shutdown {
    private static final Logger LOG = Logger.getLogger(Shutdown.class.getName());

    private Shutdown() {
    }

    static void install(Sidecar sidecar) {
        Runtime.getRuntime().addShutdownHook(new Thread(sidecar::close, "shutdown"));
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    LOG.info("SIG" + signal.getName() + " received: stopping");
                    // stop on another thread (not the signal dispatcher's), before the JVM's hooks reset logging
                    Thread.ofPlatform().name("stop").daemon(false).start(() -> {
                        sidecar.close();
                        System.exit(0);
                    });
                });
            } catch (IllegalArgumentException unsupported) {
                LOG.fine("no handler for SIG" + name + " on this platform; the JVM's default applies");
            }
        }
    }
}
