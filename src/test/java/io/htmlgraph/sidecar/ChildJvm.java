package io.htmlgraph.sidecar;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a sidecar in its own JVM, on the test's class path, for tests about processes (exit codes,
 * kill -9, the writer lock, signals). Quick-start JIT flags: such a JVM lives a few seconds, and C2 compiling for
 * the long run would only take CPU from the other tests. SQLite's native library as the launcher loads it (the
 * folder the build gives the test JVM): a JVM killed with -9 leaves no copy of it in the temporary folder.
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    /** {@code java <quick-start flags> -cp <test class path> <mainClass> <args>}. */
    public static List<String> command(String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "--enable-native-access=ALL-UNNAMED",
                "-Dhtmlgraph.native-dir=" + System.getProperty("htmlgraph.native-dir", "target/native"),
                "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        return command;
    }
}
