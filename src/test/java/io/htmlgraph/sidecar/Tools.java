package io.htmlgraph.sidecar;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** External programs some tests run (promtool, prometheus, yamllint): required in CI, optional on a laptop. */
public final class Tools {
    private Tools() {
    }

    /** The program's path; fails in CI ({@code CI} set) and skips the test elsewhere when it is not installed. */
    public static Path require(String program) {
        Optional<Path> found = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(dir -> Path.of(dir, program)).filter(Files::isExecutable).findFirst();
        if (found.isEmpty() && System.getenv("CI") != null) {
            fail(program + " is not installed (.ci/run installs it with apt-get)");
        }
        assumeTrue(found.isPresent(), program + " is not installed: apt-get install prometheus yamllint");
        return found.get();
    }
}
