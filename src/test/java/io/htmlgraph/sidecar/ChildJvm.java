package io.htmlgraph.sidecar;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a sidecar in its own JVM, on the test's class path, for tests about processes (exit codes,
 * kill -9, the writer lock, signals). Quick-start JIT flags: such a JVM lives a few seconds, and C2 compiling for
 * the long run would only take CPU from the other tests.
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    /** {@code java <quick-start flags> -cp <test class path> <mainClass> <args>}. */
    public static List<String> command(String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        return command;
    }
}
