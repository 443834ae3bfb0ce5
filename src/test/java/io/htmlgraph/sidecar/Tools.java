package io.htmlgraph.sidecar;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
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

    /** Runs {@code promtool check metrics} on a scrape and asserts that it finds nothing to report. */
    public static void assertPromtoolFindsNothing(String scrape) throws IOException, InterruptedException {
        Process check = new ProcessBuilder(require("promtool").toString(), "check", "metrics")
                .redirectErrorStream(true).start();
        check.getOutputStream().write(scrape.getBytes(StandardCharsets.UTF_8));
        check.getOutputStream().close();
        String report = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(report, check.waitFor(), is(0));
        assertThat(report.lines().toList(), is(empty()));
    }
}
