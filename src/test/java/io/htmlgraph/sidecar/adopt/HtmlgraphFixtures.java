package io.htmlgraph.sidecar.adopt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The two real htmlgraph 0.26.1 files of ../shared/fixtures (read in place, never written): copies for a test, their
 * checksums, and writes into a copy by another connection, as htmlgraph's hooks would make them.
 */
public final class HtmlgraphFixtures {
    public static final Path DIR = Path.of("..", "shared", "fixtures", "htmlgraph-0.26.1");
    /** The hybrid sessions shape, 4,076 events, features and delegations. */
    public static final String INDEX = "index.sqlite";
    /** The canonical sessions shape, 9 events. */
    public static final String CANONICAL = "htmlgraph.db";

    private HtmlgraphFixtures() {
    }

    public static boolean present() {
        return Files.isRegularFile(DIR.resolve(INDEX)) && Files.isRegularFile(DIR.resolve(CANONICAL));
    }

    /** Skips the calling test when the shared fixtures are not beside this checkout (CI has them). */
    public static void assumePresent() {
        assumeTrue(present(), "the shared fixtures are not beside this checkout");
    }

    /** A copy of the fixture in {@code dir}. */
    public static Path copy(String name, Path dir) {
        try {
            Path copy = dir.resolve(name);
            Files.copy(DIR.resolve(name), copy);
            copy.toFile().setWritable(true);
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs statements on the file in one transaction of a connection of its own (htmlgraph's hooks, say). */
    public static void write(Path file, String... sql) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 5000");
            c.setAutoCommit(false);
            for (String statement : sql) {
                s.executeUpdate(statement);
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An htmlgraph-style event row: the columns its hooks fill, with its {@code YYYY-MM-DD HH:MM:SS} time. */
    public static String event(String id, String session, String tool, String input, String at, String parent) {
        return "INSERT INTO agent_events (event_id, agent_id, event_type, timestamp, tool_name, input_summary,"
               + " output_summary, context, session_id, parent_event_id, status) VALUES ('" + id + "', 'claude-code',"
               + " 'tool_call', '" + at + "', '" + tool + "', '" + input + "', 'ok',"
               + " '{\"file_paths\": [], \"tool_input_keys\": [], \"is_error\": false}', '" + session + "', "
               + (parent == null ? "NULL" : "'" + parent + "'") + ", 'recorded')";
    }
}
