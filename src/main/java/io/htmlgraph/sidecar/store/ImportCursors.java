package io.htmlgraph.sidecar.store;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;

/** How far each table of an imported file has been read: where a restarted import resumes. */
public final class ImportCursors {
    private final DbClient db;

    public ImportCursors(Database database) {
        this.db = database.client();
    }

    /** The cursors of one source file by table; empty when never imported. */
    public Map<String, Cursor> of(String source) {
        Map<String, Cursor> cursors = new HashMap<>();
        try (Stream<DbRow> rows = Params.of("source", source).query(db.execute(), "import-cursors")) {
            rows.forEach(r -> cursors.put(Rows.text(r, "source_table"), new Cursor(Rows.wholeOr0(r, "last_rowid"),
                    Rows.text(r, "last_key"), Rows.text(r, "identity"), Rows.wholeOr0(r, "rows_read"))));
        }
        return cursors;
    }

    /** A table's last rowid imported and the key of that row, the file's identity then, and rows read so far. */
    public record Cursor(long lastRowid, String lastKey, String identity, long rowsRead) {
    }
}
