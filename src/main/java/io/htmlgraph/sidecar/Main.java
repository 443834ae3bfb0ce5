package io.htmlgraph.sidecar;

import java.util.List;

import io.htmlgraph.sidecar.config.InvalidConfigException;
import io.htmlgraph.sidecar.config.SidecarConfig;
import io.htmlgraph.sidecar.ops.Logs;
import io.htmlgraph.sidecar.ops.StartupException;

/**
 * Starts htmlgraph-sidecar: {@code java -jar htmlgraph-sidecar.jar [run [--demo] | backup PATH | import PATH |
 * version | help]}. The commands are one table (see {@link Cli}); each is a short method here or in Commands.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Cli cli = new Cli(List.of(
                new Cli.Command("run", "[--demo]", "start the sidecar (the default); --demo adds demo sessions",
                                Main::run),
                new Cli.Command("backup", "PATH", "write a consistent copy of the database (HTMLGRAPH_DB) to PATH,"
                                                  + " also while a sidecar runs on it", Commands::backup),
                new Cli.Command("import", "PATH", "import an htmlgraph database (.htmlgraph/index.sqlite) into"
                                                  + " HTMLGRAPH_DB once, then exit", Commands::importFile),
                new Cli.Command("version", "", "print the version", Commands::version),
                new Cli.Command("help", "", "print this help (also -h, --help)", rest -> 0)),
                System.out, System.err);
        int code;
        try {
            code = cli.dispatch(args);
        } catch (Cli.BadArguments e) {
            code = cli.fail(e.getMessage());
        } catch (InvalidConfigException | StartupException e) {
            Logs.failure(e);
            code = e instanceof InvalidConfigException ? Cli.USAGE : 1;
        } catch (Exception e) {
            Logs.failure(e);
            code = 1;
        }
        if (code != Cli.KEEPS_RUNNING) {
            System.exit(code);
        }
    }

    private static int run(List<String> args) {
        for (String arg : args) {
            if (!arg.equals("--demo")) {
                throw new Cli.BadArguments("unknown option '" + arg + "' for run (it takes only --demo)");
            }
        }
        SidecarConfig config = SidecarConfig.load(args.contains("--demo"));
        Logs.configure(config.logLevel(), config.logFormat());
        Sidecar sidecar = Sidecar.start(config);
        Shutdown.install(sidecar);
        Banner.print(config, sidecar);
        return Cli.KEEPS_RUNNING;
    }
}
