package io.htmlgraph.sidecar.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.function.Consumer;

import io.helidon.dbclient.DbClient;
import org.sqlite.SQLiteConfig;

/**
 * Consistent copies of the database with SQLite's {@code VACUUM INTO}: one read transaction, so the copy is the
 * database as of one commit while the writer goes on (WAL readers never block it), compacted, without the WAL.
 * The copy is written beside its target and renamed into place, so a target that exists is always complete.
 */
public final class Backups {
    private final DbClient db;

    public Backups(Database database) {
        this.db = database.client();
    }

    /** The copy written: its path, size, and how long it took. */
    public record Copy(String path, long bytes, long millis) {
    }

    /** Copies the open database to {@code target} (which must not exist) through the read pool. */
    public Copy copy(Path target) {
        return write(target, partial -> Params.of("path", partial.toString()).dml(db.execute(), "ops-backup"));
    }

    /**
     * Copies the database file {@code source} to {@code target} through a read-only connection of its own: no
     * migration, no write, so it is safe while a sidecar (the one writer) runs on the file.
     */
    public static Copy copyFile(Path source, Path target) {
        if (!Files.isRegularFile(source)) {
            throw new StoreException("no database at " + source.toAbsolutePath() + " (set HTMLGRAPH_DB)");
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(5000);
        return write(target, partial -> {
            try (Connection c = config.createConnection("jdbc:sqlite:" + source.toAbsolutePath());
                 PreparedStatement vacuum = c.prepareStatement(Statements.all().statement("ops-backup"))) {
                vacuum.setString(1, partial.toString());
                vacuum.execute();
            } catch (SQLException e) {
                throw new StoreException("cannot copy " + source.toAbsolutePath() + ": " + e.getMessage(), e);
            }
        });
    }

    private static Copy write(Path target, Consumer<Path> vacuumInto) {
        Path absolute = target.toAbsolutePath();
        if (Files.exists(absolute)) {
            throw new BackupExistsException(absolute + " exists already: choose a new name (a backup never"
                                            + " overwrites)");
        }
        Path partial = absolute.resolveSibling(absolute.getFileName() + ".partial");
        long start = System.nanoTime();
        try {
            Files.createDirectories(absolute.getParent());
            Files.deleteIfExists(partial);
            vacuumInto.accept(partial);
            Files.move(partial, absolute, StandardCopyOption.ATOMIC_MOVE);
            return new Copy(absolute.toString(), Files.size(absolute), (System.nanoTime() - start) / 1_000_000);
        } catch (IOException e) {
            throw new StoreException("cannot write the backup " + absolute + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // the partial file is named as such; nothing more to do
            }
        }
    }

    /** The target of a backup exists already. */
    public static final class BackupExistsException extends RuntimeException {
        BackupExistsException(String message) {
            super(message);
        }
    }
}
