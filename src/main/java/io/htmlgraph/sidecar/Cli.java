package io.htmlgraph.sidecar;

import java.io.PrintStream;
import java.util.List;
import java.util.Optional;

/**
 * The commands of {@code java -jar htmlgraph-sidecar.jar}, as one table: a new command is one row here and one
 * method (the {@code ./sidecar} script adds {@code test}, {@code build} and {@code bench}, which need Maven).
 * Unknown commands and options end with exit code 2, one line saying what was wrong, and the usage.
 */
final class Cli {
    /** Exit code of a command that leaves the sidecar running (the JVM stays up for the server). */
    static final int KEEPS_RUNNING = -1;
    /** Exit code for a bad command line or bad configuration. */
    static final int USAGE = 2;

    /** What a command does with its arguments; returns the exit code. */
    @FunctionalInterface
    interface Action {
        int run(List<String> args) throws Exception;
    }

    /** One command: its name, the arguments it takes (for the usage), a one-line description, what it does. */
    record Command(String name, String arguments, String description, Action action) {
    }

    private final List<Command> commands;
    private final PrintStream out;
    private final PrintStream err;

    Cli(List<Command> commands, PrintStream out, PrintStream err) {
        this.commands = commands;
        this.out = out;
        this.err = err;
    }

    /** Runs the command named by the first argument ({@code run} when there is none). */
    int dispatch(String[] args) throws Exception {
        String name = args.length == 0 || args[0].startsWith("--") && !isHelp(args[0]) ? "run" : args[0];
        List<String> rest = List.of(args).subList(args.length == 0 || !name.equals(args[0]) ? 0 : 1, args.length);
        if (isHelp(name) || rest.stream().anyMatch(Cli::isHelp)) {
            usage(out);
            return 0;
        }
        Optional<Command> command = commands.stream().filter(c -> c.name().equals(name)).findFirst();
        if (command.isEmpty()) {
            return fail("unknown command '" + name + "'");
        }
        return command.get().action().run(rest);
    }

    /** Prints one line saying what was wrong, then the usage; returns {@link #USAGE}. */
    int fail(String problem) {
        err.println("htmlgraph-sidecar: " + problem);
        usage(err);
        return USAGE;
    }

    void usage(PrintStream to) {
        to.println("usage: java -jar htmlgraph-sidecar.jar [COMMAND] [ARGS]   (or ./sidecar COMMAND, which finds a"
                   + " JDK 21+)");
        to.println();
        to.println("commands:");
        for (Command c : commands) {
            to.printf("  %-22s %s%n", (c.name() + " " + c.arguments()).trim(), c.description());
        }
        to.println();
        to.println("./sidecar also has: test (run the tests), build (build the jar), bench NAME (benchmarks).");
        to.println("Settings come from environment variables (HTMLGRAPH_PORT, HTMLGRAPH_DB, ...):");
        to.println("see README.md, section \"Configuration\", for every one with its default.");
    }

    /** A command line that does not fit the command: reported as one line with the usage, exit code 2. */
    static final class BadArguments extends RuntimeException {
        BadArguments(String message) {
            super(message);
        }
    }

    private static boolean isHelp(String arg) {
        return arg.equals("help") || arg.equals("-h") || arg.equals("--help");
    }
}
