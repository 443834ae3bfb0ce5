package io.htmlgraph.sidecar.store;

import java.util.Optional;

import io.helidon.dbclient.DbClient;

/** How far each transcript file was read (written by the single writer with the usage read from it). */
public final class TranscriptOffsets {
    private final DbClient db;

    public TranscriptOffsets(Database database) {
        this.db = database.client();
    }

    /** The stored position of a file, if it was read before. */
    public Optional<Offset> get(String path) {
        return Params.of("path", path).get(db.execute(), "usage-transcript-offset-get")
                .map(r -> new Offset(Rows.wholeOr0(r, "offset"), Rows.text(r, "file_key"), Rows.text(r, "head_hash")));
    }

    /** A file's read position, its file key (inode) and a hash of its first bytes. */
    public record Offset(long offset, String fileKey, String headHash) {
    }
}
