package io.htmlgraph.sidecar.ops;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.htmlgraph.sidecar.ChildJvm;

/** The sidecar's command line run as a real process (the test's class path), with its output and exit code. */
record SidecarProcess(Process process, BufferedReader output, List<String> lines) {
    static SidecarProcess start(Map<String, String> env, String... args) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(ChildJvm.command("io.htmlgraph.sidecar.Main", args))
                .redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        return new SidecarProcess(process, new BufferedReader(new InputStreamReader(process.getInputStream())),
                                  new ArrayList<>());
    }

    /** Runs a command to its end; returns its exit code (its output is in {@link #lines()}). */
    static SidecarProcess run(Map<String, String> env, String... args) throws Exception {
        SidecarProcess p = start(env, args);
        p.output().lines().forEach(p.lines()::add);
        if (!p.process().waitFor(60, TimeUnit.SECONDS)) {
            p.process().destroyForcibly();
            throw new AssertionError("did not end: " + p.lines());
        }
        return p;
    }

    int exitCode() {
        return process.exitValue();
    }

    /** Reads output lines until one contains {@code text}; returns that line. */
    String awaitLine(String text) throws IOException {
        String line;
        while ((line = output.readLine()) != null) {
            lines.add(line);
            if (line.contains(text)) {
                return line;
            }
        }
        throw new AssertionError("no line with '" + text + "' in:\n" + String.join("\n", lines));
    }
}
