-- Import of htmlgraph database files: how far each table of each source file has been read (its rowid cursor), and
-- what the file was when read (inode, schema, the key of the row at the cursor), so that a restart resumes and a
-- replaced or truncated file is read again.
CREATE TABLE import_cursors (
    source       TEXT NOT NULL,
    source_table TEXT NOT NULL,
    last_rowid   INTEGER NOT NULL,
    last_key     TEXT,
    identity     TEXT NOT NULL,
    rows_read    INTEGER NOT NULL,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (source, source_table)
) WITHOUT ROWID;
