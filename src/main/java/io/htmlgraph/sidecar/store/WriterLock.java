package io.htmlgraph.sidecar.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One writer per database: an exclusive OS lock on {@code <db>.lock}, held while the sidecar runs and released by
 * the OS if it dies. A second sidecar on the same file would otherwise start quietly and answer 500 forever (both
 * number events from their own counters). The file holds the holder's pid and ports, to name it in the refusal.
 */
public final class WriterLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private WriterLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock or fails with one line naming the file and, where it can, the running sidecar.
     *
     * @param holder who takes it, written into the lock file ({@code pid 123, ports 8080/9464})
     */
    public static WriterLock acquire(Path db, String holder) {
        Path file = Path.of(db.toAbsolutePath() + ".lock");
        FileChannel channel = null;
        try {
            Path parent = file.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                                       StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            if (lock == null) {
                String running = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim();
                throw new StoreException("another sidecar is writing " + db.toAbsolutePath()
                        + (running.isEmpty() ? "" : " (" + running + ")")
                        + ": stop it, or point HTMLGRAPH_DB at another file");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(holder.getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
            return new WriterLock(channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StoreException("cannot lock " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // held by this very process (a second sidecar in one JVM)
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // nothing left to release
        }
    }

    @Override
    public void close() {
        try {
            channel.truncate(0);
            lock.release();
        } catch (IOException ignored) {
            // the channel's close below releases the lock anyway
        }
        closeQuietly(channel);
    }
}
