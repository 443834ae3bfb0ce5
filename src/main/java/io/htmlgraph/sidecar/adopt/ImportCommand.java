package io.htmlgraph.sidecar.adopt;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;

import io.htmlgraph.sidecar.config.SidecarConfig;
import io.htmlgraph.sidecar.correlate.EventWriter;
import io.htmlgraph.sidecar.ingest.TextCleaner;
import io.htmlgraph.sidecar.store.Database;
import io.htmlgraph.sidecar.store.ImportCursors;
import io.htmlgraph.sidecar.store.SourceFileException;
import io.htmlgraph.sidecar.web.Json;

/**
 * {@code java -jar htmlgraph-sidecar.jar import PATH}: imports an htmlgraph database file into the configured store
 * ({@code HTMLGRAPH_DB}) once, prints a summary and exits. Running it again imports only what was added since.
 */
public final class ImportCommand {
    /**
     * The writer's page cache in this process, in KiB (SQLite's default is 2,000). Each imported row adds an entry
     * to a dozen indexes, several in random key order (event id, parent, payload fingerprint): with 2 MB most of
     * their leaf pages were read back from the WAL or the file for every row, a third of the writer's CPU in the
     * kernel; with 32 MB a 200,000-row import's writer spent 1.4 s there instead of 3.3 s (docs/performance.md). Not
     * in a running sidecar, whose background import keeps SQLite's default: there it would lift the RSS past 128 MB.
     */
    private static final int WRITER_CACHE_KIB = 32 * 1024;

    private ImportCommand() {
    }

    /** Runs the command with the configuration of the environment; returns the process exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            return run(args, SidecarConfig.load(false), out, err);
        } catch (RuntimeException e) {
            err.println("htmlgraph-sidecar import: " + e.getMessage());
            return 2;
        }
    }

    /** Runs the command; returns the process exit code (0 imported, 2 refused or failed). */
    public static int run(String[] args, SidecarConfig config, PrintStream out, PrintStream err) {
        if (args.length != 2) {
            err.println("usage: htmlgraph-sidecar import PATH   (PATH: .htmlgraph/index.sqlite or htmlgraph.db)");
            return 2;
        }
        Path file = Path.of(args[1]);
        try {
            Clock clock = Clock.systemUTC();
            try (Database database = Database.open(config.db());
                 EventWriter writer = new EventWriter(database, clock)) {
                writer.pageCache(WRITER_CACHE_KIB);
                Importer importer = new Importer(writer, new ImportCursors(database),
                        new TextCleaner(config.payloadMaxBytes(), config.metadataOnly()), Json.mapper(), clock);
                Importer.Summary summary = importer.pass(file);
                out.println("imported " + summary);
                out.println("into " + config.db().toAbsolutePath()
                            + (summary.rows() == 0 ? " (nothing new since the last import)" : ""));
                return 0;
            }
        } catch (SourceFileException e) {
            err.println("htmlgraph-sidecar import: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            err.println("htmlgraph-sidecar import failed: " + e.getMessage());
            return 2;
        }
    }
}
