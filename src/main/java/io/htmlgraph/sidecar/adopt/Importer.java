package io.htmlgraph.sidecar.adopt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.ObjLongConsumer;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.htmlgraph.sidecar.correlate.EventWriter;
import io.htmlgraph.sidecar.domain.ImportBatch;
import io.htmlgraph.sidecar.ingest.TextCleaner;
import io.htmlgraph.sidecar.store.HtmlgraphFile;
import io.htmlgraph.sidecar.store.ImportCursors;
import io.htmlgraph.sidecar.store.SourceFileException;
import io.htmlgraph.sidecar.store.SourceRow;

/**
 * Copies an htmlgraph database file into the store through the single writer, table by table in rowid order, in
 * batches that each carry their cursor: a pass reads what was added since the last one. A file whose identity
 * changed (replaced, schema changed) or whose rowids or size went backwards (truncated, vacuumed) is read again from
 * the start, which changes nothing already imported (ids come from the source rows).
 */
public final class Importer {
    private static final Logger LOG = Logger.getLogger(Importer.class.getName());
    /**
     * Rows per batch handed to the writer, which applies consecutive batches in one transaction
     * ({@link EventWriter#importBatch}): the heap holds the batch being applied, one queued and the one being read,
     * and a hook that comes meanwhile waits for one batch (about 50 ms). Batches of 4,000 rows, one transaction each,
     * held almost three times as much, which overflowed the young generation's survivor space: 11 full collections
     * per 200,000 rows instead of 3 (docs/performance.md, the import, round seven).
     */
    private static final int BATCH_ROWS = 1000;
    private static final long PROGRESS_EVERY_NANOS = 5_000_000_000L;

    private final EventWriter writer;
    private final ImportCursors cursors;
    private final TextCleaner cleaner;
    private final JsonText json;
    private final Clock clock;
    private final Map<String, Long> lastSizes = new LinkedHashMap<>();

    public Importer(EventWriter writer, ImportCursors cursors, TextCleaner cleaner, ObjectMapper mapper, Clock clock) {
        this.writer = writer;
        this.cursors = cursors;
        this.cleaner = cleaner;
        this.json = new JsonText(mapper);
        this.clock = clock;
    }

    /** As {@link #pass(Path, ObjLongConsumer)}, telling nobody of each batch. */
    public Summary pass(Path file) {
        return pass(file, (table, rows) -> { });
    }

    /**
     * Reads the rows added to the file since the last pass (all of them the first time) and stores them; stops
     * between batches when the calling thread is interrupted (what it stored is kept, and the next pass goes on).
     *
     * @param onBatch  told the table and row count of each batch handed to the writer
     * @throws SourceFileException when the file is missing or not an htmlgraph database
     */
    public Summary pass(Path file, ObjLongConsumer<String> onBatch) {
        Path path = file.toAbsolutePath().normalize();
        String source = path.toString();
        long started = System.nanoTime();
        Map<String, Long> counts = new LinkedHashMap<>();
        try (HtmlgraphFile htmlgraph = HtmlgraphFile.open(path)) {
            String identity = htmlgraph.identity();
            Map<String, ImportCursors.Cursor> stored = cursors.of(source);
            boolean reread = replaced(htmlgraph, path, identity, stored);
            if (reread) {
                LOG.warning(() -> "import: " + source + " was replaced or truncated since the last read;"
                                  + " reading it again from the start (rows already imported are kept once)");
            }
            TableMapper mapper = new TableMapper(
                    new RowMapper(cleaner, json, modified(path), new EventIds(htmlgraph)), cleaner, json);
            Progress progress = new Progress(source, started);
            Pipeline pipeline = new Pipeline(writer);
            for (String table : HtmlgraphFile.TABLES) {
                ImportCursors.Cursor cursor = reread ? null : stored.get(table);
                long after = cursor == null ? 0 : cursor.lastRowid();
                long total = cursor == null ? 0 : cursor.rowsRead();
                Function<SourceRow, Object> rows = mapper.rowsOf(table);
                HtmlgraphFile.Read<Object> read;
                while (!Thread.currentThread().isInterrupted() // the sidecar is stopping: the next pass resumes
                       && !(read = htmlgraph.rowsAfter(table, TableMapper.COLUMNS.get(table), TableMapper.TYPED,
                                                       after, BATCH_ROWS, rows)).rows().isEmpty()) {
                    total += read.rows().size();
                    pipeline.write(TableMapper.batch(source, identity, table, after, read, total));
                    after = read.lastRowid();
                    counts.merge(table, (long) read.rows().size(), Long::sum);
                    onBatch.accept(table, read.rows().size());
                    progress.report(counts, table, after);
                }
            }
            pipeline.end();
        }
        Summary summary = new Summary(source, counts, (System.nanoTime() - started) / 1e9);
        if (summary.rows() > 0) {
            LOG.info(() -> "import: " + summary);
        }
        return summary;
    }

    /**
     * Whether the file is not the one the cursors were taken on (inode, schema), or lost rows or bytes since: a
     * smaller file, a highest rowid below a cursor, another row at a cursor (emptied and refilled).
     */
    private boolean replaced(HtmlgraphFile htmlgraph, Path path, String identity,
                             Map<String, ImportCursors.Cursor> stored) {
        long size = size(path);
        Long lastSize = lastSizes.put(path.toString(), size);
        if (lastSize != null && size < lastSize) {
            return true;
        }
        for (Map.Entry<String, ImportCursors.Cursor> entry : stored.entrySet()) {
            ImportCursors.Cursor cursor = entry.getValue();
            if (!cursor.identity().equals(identity) || htmlgraph.maxRowid(entry.getKey()) < cursor.lastRowid()
                    || !Objects.equals(cursor.lastKey(), htmlgraph.keyAt(entry.getKey(), cursor.lastRowid()))) {
                return true;
            }
        }
        return false;
    }

    private static long size(Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            throw new SourceFileException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** Times missing from a row fall back to the file's last change: the row was written by then. */
    private Instant modified(Path path) {
        try {
            return Files.getLastModifiedTime(path).toInstant();
        } catch (IOException e) {
            return clock.instant();
        }
    }

    /**
     * Hands batches to the writer in order, keeping one queued behind the one being applied: the writer goes on to
     * the next at once while the importer reads the one after. Waiting for each batch to be applied before queueing
     * the next left the writer idle for a few thread handoffs per batch (docs/performance.md, the import, round
     * seven).
     */
    private static final class Pipeline {
        private static final int IN_FLIGHT = 2;
        private final EventWriter writer;
        private final Deque<CompletableFuture<Void>> pending = new ArrayDeque<>();

        Pipeline(EventWriter writer) {
            this.writer = writer;
        }

        void write(ImportBatch batch) {
            if (pending.size() == IN_FLIGHT) {
                await(pending.removeFirst());
            }
            pending.addLast(writer.importBatch(batch));
        }

        /** Waits for the batches to be applied and committed; a failure is thrown here. */
        void end() {
            while (!pending.isEmpty()) {
                await(pending.removeFirst());
            }
            writer.endImport();
        }

        private static void await(CompletableFuture<Void> applied) {
            try {
                applied.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
    }

    /** Logs counts and rate at most every few seconds. */
    private static final class Progress {
        private final String source;
        private final long started;
        private long lastReport;

        Progress(String source, long started) {
            this.source = source;
            this.started = started;
            this.lastReport = started;
        }

        void report(Map<String, Long> read, String table, long rowid) {
            long now = System.nanoTime();
            if (now - lastReport < PROGRESS_EVERY_NANOS) {
                return;
            }
            lastReport = now;
            long rows = read.values().stream().mapToLong(Long::longValue).sum();
            LOG.info(() -> String.format("import: %s: %,d rows read (%,.0f rows/s), %s at rowid %d", source, rows,
                                         rows / ((now - started) / 1e9), table, rowid));
        }
    }

    /** What one pass read: rows per source table, and how long it took. */
    public record Summary(String source, Map<String, Long> rowsByTable, double seconds) {
        public long rows() {
            return rowsByTable.values().stream().mapToLong(Long::longValue).sum();
        }

        public double rowsPerSecond() {
            return seconds > 0 ? rows() / seconds : 0;
        }

        @Override
        public String toString() {
            return String.format("%s: %,d rows read in %.2f s (%,.0f rows/s) %s", source, rows(), seconds,
                                 rowsPerSecond(), rowsByTable);
        }
    }
}
