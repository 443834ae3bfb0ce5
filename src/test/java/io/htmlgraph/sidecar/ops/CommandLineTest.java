package io.htmlgraph.sidecar.ops;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * The command line as a user meets it: help, mistakes (the jar's and the launcher's), start-up failures, the banner,
 * and SIGTERM.
 */
class CommandLineTest {
    private static final Pattern ADMIN = Pattern.compile("health\\s+(http://\\S+)/health");

    @Test
    void help_listsEveryCommandOnItsOwnLine_andPointsAtTheConfigTable() throws Exception {
        for (String flag : new String[] {"help", "-h", "--help"}) {
            SidecarProcess p = SidecarProcess.run(Map.of(), flag);
            assertThat(flag, p.exitCode(), is(0));
            for (String command : new String[] {"run [--demo]", "backup PATH", "version", "help"}) {
                assertThat(flag, p.lines(), hasItem(startsWith("  " + command + " ")));
            }
            assertThat(String.join("\n", p.lines()), containsString("README.md, section \"Configuration\""));
        }
    }

    @Test
    void unknownCommandOrOption_exits2_withOneLineAndTheUsage() throws Exception {
        SidecarProcess command = SidecarProcess.run(Map.of(), "frobnicate");
        assertThat(command.exitCode(), is(2));
        assertThat(command.lines().getFirst(), is("htmlgraph-sidecar: unknown command 'frobnicate'"));
        assertThat(command.lines(), hasItem(startsWith("usage: ")));
        SidecarProcess option = SidecarProcess.run(Map.of(), "run", "--bogus");
        assertThat(option.exitCode(), is(2));
        assertThat(option.lines().getFirst(), containsString("unknown option '--bogus'"));
    }

    @Test
    void launcher_refusesAnUnknownCommandOrArgument_withOneLineAndTheUsage_beforeBuilding() throws Exception {
        String[][] cases = {{"frobnicate", "sidecar: unknown command 'frobnicate'"},
            {"build --bogus", "sidecar: build takes no arguments"},
            {"run --bogus", "sidecar: unknown option '--bogus' for run (it takes only --demo)"},
            {"backup", "sidecar: backup takes one argument, the path of the copy to write"}};
        for (String[] c : cases) {
            List<String> command = new ArrayList<>(List.of("bash", "sidecar"));
            command.addAll(List.of(c[0].split(" ")));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
            assertThat(c[0], p.waitFor(), is(2));
            assertThat(c[0], lines.getFirst(), is(c[1]));
            assertThat(c[0], lines.get(1), startsWith("usage: ./sidecar [COMMAND] [ARGS]"));
        }
    }

    @Test
    void portInUse_isOneLineNamingTheVariable_withoutStackTrace() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            Path db = Files.createTempDirectory("cli").resolve("a.db");
            SidecarProcess p = SidecarProcess.run(Map.of("HTMLGRAPH_DB", db.toString(), "HTMLGRAPH_PORT",
                    String.valueOf(taken.getLocalPort()), "HTMLGRAPH_ADMIN_PORT", "0"));
            assertThat(p.exitCode(), is(1));
            assertThat(p.lines().size(), is(1));
            assertThat(p.lines().getFirst(), startsWith("htmlgraph-sidecar cannot start: port "
                                                        + taken.getLocalPort()));
            assertThat(p.lines().getFirst(), containsString("set HTMLGRAPH_PORT"));
            assertThat(p.lines(), everyItem(not(containsString("\tat "))));
        }
    }

    @Test
    void unusableDatabasePath_isOneLineNamingThePath() throws Exception {
        Path dir = Files.createTempDirectory("cli");
        SidecarProcess p = SidecarProcess.run(Map.of("HTMLGRAPH_DB", dir.toString(), "HTMLGRAPH_PORT", "0",
                                                     "HTMLGRAPH_ADMIN_PORT", "0"));
        assertThat(p.exitCode(), is(1));
        assertThat(p.lines(), is(List.of("htmlgraph-sidecar cannot start: the database " + dir
                                                    + " is not a file: set HTMLGRAPH_DB to a file")));
    }

    @Test
    void badConfig_exits2_namingTheVariable() throws Exception {
        SidecarProcess p = SidecarProcess.run(Map.of("HTMLGRAPH_RETENTION", "forever"));
        assertThat(p.exitCode(), is(2));
        assertThat(p.lines().getFirst(), containsString("HTMLGRAPH_RETENTION"));
    }

    @Test
    void sigterm_stopsGracefully_checkpointsTheWal_andExits0() throws Exception {
        Path db = Files.createTempDirectory("cli").resolve("a.db");
        SidecarProcess p = SidecarProcess.start(Map.of("HTMLGRAPH_DB", db.toString(), "HTMLGRAPH_PORT", "0",
                "HTMLGRAPH_ADMIN_PORT", "0", "HTMLGRAPH_ADMIN_HOST", "0.0.0.0"));
        try {
            Matcher admin = ADMIN.matcher(p.awaitLine("health  "));
            assertThat(admin.find(), is(true));
            assertThat("a socket on all addresses is shown as loopback", admin.group(1), startsWith("http://127.0.0.1:"));
            try (HttpClient http = HttpClient.newHttpClient()) {
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(admin.group(1)
                        + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(ready.statusCode(), is(200));
            }
            new ProcessBuilder("kill", "-TERM", String.valueOf(p.process().pid())).start().waitFor();
            p.awaitLine("htmlgraph-sidecar stopped");
            assertThat(p.process().waitFor(30, TimeUnit.SECONDS), is(true));
            assertThat(p.exitCode(), is(0));
            Path wal = Path.of(db + "-wal");
            assertThat("WAL checkpointed and truncated", !Files.exists(wal) || Files.size(wal) == 0, is(true));
        } finally {
            p.process().destroyForcibly();
        }
    }
}
