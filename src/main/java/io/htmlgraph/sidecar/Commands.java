package io.htmlgraph.sidecar;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import io.htmlgraph.sidecar.adopt.ImportCommand;
import io.htmlgraph.sidecar.config.SidecarConfig;
import io.htmlgraph.sidecar.store.Backups;

/** The short commands of the command line: {@code version} and {@code backup PATH}. */
final class Commands {
    private Commands() {
    }

    /** {@code version}: prints the version of this build. */
    static int version(List<String> args) {
        if (!args.isEmpty()) {
            throw new Cli.BadArguments("version takes no arguments, got '" + args.getFirst() + "'");
        }
        System.out.println("htmlgraph-sidecar " + version());
        return 0;
    }

    /**
     * {@code backup PATH}: a consistent copy of the database named by {@code HTMLGRAPH_DB} through a read-only
     * connection ({@code VACUUM INTO}), so it is safe beside a running sidecar, which stays the only writer.
     */
    static int backup(List<String> args) {
        if (args.size() != 1 || args.getFirst().startsWith("-")) {
            throw new Cli.BadArguments("backup takes one argument, the path of the copy to write");
        }
        SidecarConfig config = SidecarConfig.load(false);
        Backups.Copy copy = Backups.copyFile(config.db(), Path.of(args.getFirst()));
        System.out.printf("backup of %s written to %s (%d bytes in %d ms)%n", config.db().toAbsolutePath(),
                          copy.path(), copy.bytes(), copy.millis());
        return 0;
    }

    /** {@code import PATH}: an htmlgraph database copied into the store once (see {@link ImportCommand}). */
    static int importFile(List<String> args) {
        if (args.size() != 1 || args.getFirst().startsWith("-")) {
            throw new Cli.BadArguments("import takes one argument, the path of an htmlgraph database file");
        }
        return ImportCommand.run(new String[] {"import", args.getFirst()}, System.out, System.err);
    }

    static String version() {
        Properties build = new Properties();
        try (InputStream in = Commands.class.getClassLoader().getResourceAsStream("build.properties")) {
            if (in != null) {
                build.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return build.getProperty("version", "unknown");
    }

    /** {@code 30d}, {@code 12h} or {@code 90m}: a duration as the configuration writes it. */
    static String human(Duration d) {
        if (d.toHours() % 24 == 0 && d.toDays() > 0) {
            return d.toDays() + "d";
        }
        return d.toMinutes() % 60 == 0 && d.toHours() > 0 ? d.toHours() + "h" : d.toMinutes() + "m";
    }
}
