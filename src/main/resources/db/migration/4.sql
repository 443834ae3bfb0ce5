-- Import of htmlgraph database files: how far each table of each source file has been read (its rowid cursor), and
-- what the file was when read (inode and schema), so that a restart resumes and a replaced file is re-read.
CREATE TABLE import_cursors (
    source       TEXT NOT NULL,
    source_table TEXT NOT NULL,
    last_rowid   INTEGER NOT NULL,
    identity     TEXT NOT NULL,
    rows_read    INTEGER NOT NULL,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (source, source_table)
) WITHOUT ROWID;
