-- Write path: event_counts kept by the writer (one upsert per agent and type per commit) instead of a per-row trigger
-- The insert trigger cost about a third of SQLite's work per event row; the writer now adds what each commit stored
-- (store/EventTable). Deletions outside retention still go through event_counts_delete.
DROP TRIGGER event_counts_insert;
