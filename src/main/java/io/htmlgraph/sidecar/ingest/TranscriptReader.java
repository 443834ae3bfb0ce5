package io.htmlgraph.sidecar.ingest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.htmlgraph.sidecar.correlate.EventWriter;
import io.htmlgraph.sidecar.domain.IngestEvent;
import io.htmlgraph.sidecar.domain.TranscriptOffset;
import io.htmlgraph.sidecar.domain.UsageItem;
import io.htmlgraph.sidecar.store.TranscriptOffsets;

/**
 * Reads usage from Claude Code transcripts (JSONL) for users without telemetry, off the request path: hooks name
 * the files ({@code transcript_path}, a subagent's {@code agent_transcript_path}); a background thread reads what was
 * appended since the remembered offset, one complete line at a time (a half-written last line waits for the next
 * pass), and stores the usage with the new offset in one write, so a restart resumes where it stopped. A file that
 * shrank, was replaced (another file key) or starts differently is read again from the start; request ids keep that
 * from counting twice. Only files whose real path (symlinks resolved) lies under a configured root are opened.
 */
public final class TranscriptReader implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TranscriptReader.class.getName());
    private static final int MAX_READ = 4 * 1024 * 1024;
    private static final int HEAD = 256;
    private static final Duration FORGET_AFTER = Duration.ofHours(6);
    private static final int MAX_FILES = 10_000;

    private final List<Path> roots;
    private final TranscriptLines lines;
    private final TranscriptOffsets offsets;
    private final EventWriter writer;
    private final Clock clock;
    private final Map<Path, Known> files = new ConcurrentHashMap<>();
    private final ScheduledExecutorService thread;
    /** Its periodic pass, once scheduled. */
    private volatile ScheduledFuture<?> task;

    public TranscriptReader(List<Path> roots, ObjectMapper mapper, Prices prices, TranscriptOffsets offsets,
                            EventWriter writer, Clock clock, Duration poll) {
        this.roots = roots.stream().map(TranscriptReader::realRoot).flatMap(Optional::stream).toList();
        this.lines = new TranscriptLines(mapper, new UsageRecords(prices));
        this.offsets = offsets;
        this.writer = writer;
        this.clock = clock;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon(true)
                .name("transcript-reader").unstarted(r));
        task = thread.scheduleWithFixedDelay(this::pass, poll.toMillis(), poll.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Optional<Path> realRoot(Path root) {
        try {
            return Optional.of(root.toRealPath());
        } catch (IOException e) {
            LOG.warning("transcript root " + root + " is not readable; ignored: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** Learns transcript paths from stored hook events (called on the request thread: only remembers them). */
    public void observe(List<IngestEvent> events) {
        for (IngestEvent e : events) {
            if (e.agentTranscript() != null && e.inSubagent()) {
                remember(e.agentTranscript(), e.sessionId(), e.agentKey(), e.agentType());
            }
            if (e.sessionFacts().transcriptPath() != null) {
                remember(e.sessionFacts().transcriptPath(), e.sessionId(), "", null);
            }
        }
    }

    private void remember(String path, String sessionId, String agentKey, String agentType) {
        Path p;
        try {
            p = Path.of(path);
        } catch (RuntimeException e) {
            return;
        }
        if (!p.isAbsolute() || files.size() >= MAX_FILES && !files.containsKey(p)) {
            return;
        }
        files.compute(p, (k, known) -> known != null ? known.seen(clock.instant())
                : new Known(sessionId, agentKey, agentType, clock.instant()));
    }

    /** One pass over the known files. */
    void pass() {
        Instant now = clock.instant();
        files.entrySet().removeIf(entry -> entry.getValue().lastSeen.isBefore(now.minus(FORGET_AFTER)));
        for (Map.Entry<Path, Known> entry : files.entrySet()) {
            try {
                read(entry.getKey(), entry.getValue());
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.FINE, "cannot read transcript " + entry.getKey(), e);
            }
        }
    }

    private void read(Path path, Known known) throws IOException {
        Optional<Path> real = allowed(path);
        if (real.isEmpty()) {
            return;
        }
        BasicFileAttributes attributes = Files.readAttributes(real.get(), BasicFileAttributes.class);
        if (!attributes.isRegularFile() || attributes.size() == known.checkedSize && known.offset != null) {
            return;
        }
        try (FileChannel file = FileChannel.open(real.get(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            String fileKey = String.valueOf(attributes.fileKey());
            if (known.offset == null) {
                TranscriptOffsets.Offset stored = offsets.get(path.toString()).orElse(null);
                known.offset = stored == null ? 0L : stored.offset();
                known.fileKey = stored == null ? fileKey : stored.fileKey();
                known.head = stored == null ? null : stored.headHash();
            }
            // The bytes already read never change in an appended file: if they did, it was replaced.
            if (!fileKey.equals(known.fileKey) || file.size() < known.offset
                    || known.offset > 0 && !head(file, known.offset).equals(known.head)) {
                known.offset = 0L; // rotated, truncated or replaced: read again (request ids dedupe)
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(MAX_READ, file.size() - known.offset));
            file.read(buffer, known.offset);
            int end = lastNewline(buffer.array(), buffer.position());
            if (end < 0) {
                known.checkedSize = attributes.size();
                return; // only a half-written line so far
            }
            List<UsageItem> items = new ArrayList<>(lines.usage(buffer.array(), end + 1, known.sessionId,
                                                                known.agentKey, known.agentType));
            long next = known.offset + end + 1;
            String head = head(file, next);
            items.add(new TranscriptOffset(path.toString(), known.sessionId, known.agentKey, next, fileKey, head));
            writer.write(items);
            known.offset = next;
            known.fileKey = fileKey;
            known.head = head;
            known.checkedSize = next == file.size() ? attributes.size() : -1;
        }
    }

    /** The real path when it lies under a root; a path that leaves the roots (by symlink or {@code ..}) is refused. */
    private Optional<Path> allowed(Path path) {
        if (roots.isEmpty() || !Files.exists(path, LinkOption.NOFOLLOW_LINKS) && !Files.exists(path)) {
            return Optional.empty();
        }
        try {
            Path real = path.toRealPath();
            return roots.stream().anyMatch(real::startsWith) ? Optional.of(real) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** A hash of the file's first bytes (at most {@value #HEAD}, and none past {@code readUpTo}). */
    private static String head(FileChannel file, long readUpTo) throws IOException {
        ByteBuffer head = ByteBuffer.allocate((int) Math.min(HEAD, readUpTo));
        file.read(head, 0);
        return Sanitizer.hash(new String(head.array(), 0, head.position(), StandardCharsets.ISO_8859_1));
    }

    private static int lastNewline(byte[] bytes, int length) {
        for (int i = length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Whether its periodic pass still runs: an error thrown out of a pass (out of memory) ends it for good. */
    public boolean isRunning() {
        ScheduledFuture<?> pass = task;
        return pass != null && !pass.isDone();
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }

    /** A transcript file heard of, and how far it was read. Touched by the reader thread only, but lastSeen. */
    private static final class Known {
        final String sessionId;
        final String agentKey;
        final String agentType;
        volatile Instant lastSeen;
        Long offset;
        String fileKey;
        String head;
        long checkedSize = -1;

        Known(String sessionId, String agentKey, String agentType, Instant lastSeen) {
            this.sessionId = sessionId;
            this.agentKey = agentKey;
            this.agentType = agentType;
            this.lastSeen = lastSeen;
        }

        Known seen(Instant at) {
            lastSeen = at;
            return this;
        }
    }
}
