package io.htmlgraph.sidecar;

import java.lang.reflect.InvocationTargetException;

/**
 * The jar's entry point, compiled for Java 8 so that an older {@code java} can load it and say what is needed,
 * instead of failing with {@code UnsupportedClassVersionError}; on Java 21+ it hands over to {@link Main}.
 */
public final class Launcher {
    private static final int REQUIRED = 21;

    private Launcher() {
    }

    public static void main(String[] args) throws Throwable {
        String version = System.getProperty("java.specification.version");
        int major = Integer.parseInt(version.startsWith("1.") ? version.substring(2) : version.split("\\.")[0]);
        if (major < REQUIRED) {
            System.err.println("htmlgraph-sidecar needs Java " + REQUIRED + " or newer, but this is Java " + version
                    + " (" + System.getProperty("java.home") + "). Run it with a JDK 21+:"
                    + " /path/to/jdk-21/bin/java -jar target/htmlgraph-sidecar.jar, or ./sidecar run (it finds one).");
            System.exit(1);
        }
        try {
            Class.forName("io.htmlgraph.sidecar.Main").getMethod("main", String[].class).invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
