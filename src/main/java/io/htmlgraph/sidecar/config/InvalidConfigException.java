package io.htmlgraph.sidecar.config;

/** A configuration value that cannot be used; the message names the key and its environment variable. */
public final class InvalidConfigException extends RuntimeException {
    InvalidConfigException(String key, String problem) {
        super(key + " (env " + SidecarConfig.envName(key.replaceFirst("^htmlgraph\\.", "")) + "): " + problem);
    }
}
