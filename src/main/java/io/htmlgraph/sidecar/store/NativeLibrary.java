package io.htmlgraph.sidecar.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * Keeps sqlite-jdbc's native library in a folder of its own between starts. Left to itself, the driver copies the
 * library (1.1 MB on Linux x86-64) out of its jar into a new temporary file at every start and then compares the two
 * byte by byte, about 0.1 s of a 1.5–2 s start (docs/performance.md). When the system property
 * {@value #PROPERTY} names a folder (the launcher's options: {@code target/native}), the library is copied there
 * once, under the driver's version, and the driver is pointed at that copy. Without the property, or when the
 * folder cannot be written, the driver loads the library as it always does.
 */
final class NativeLibrary {
    static final String PROPERTY = "htmlgraph.native-dir";
    private static final Logger LOG = Logger.getLogger(NativeLibrary.class.getName());

    private NativeLibrary() {
    }

    /** Points the driver at the kept copy, making it first if needed; before the first SQLite connection. */
    static synchronized void useKeptCopy() {
        String dir = System.getProperty(PROPERTY);
        if (dir == null || dir.isBlank() || System.getProperty("org.sqlite.lib.path") != null) {
            return;
        }
        String name = LibraryLoaderUtil.getNativeLibName();
        Path folder = Path.of(dir, "sqlite-jdbc-" + SQLiteJDBCLoader.getVersion()).toAbsolutePath();
        try {
            if (!Files.isRegularFile(folder.resolve(name))) {
                copy(LibraryLoaderUtil.getNativeLibResourcePath() + "/" + name, folder, name);
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, "cannot keep SQLite's native library in " + folder + "; the driver extracts it", e);
            return;
        }
        System.setProperty("org.sqlite.lib.path", folder.toString());
        System.setProperty("org.sqlite.lib.name", name);
    }

    /** Copies the library to a new file beside its place, then moves it there: no half-written copy is ever used. */
    private static void copy(String resource, Path folder, String name) throws IOException {
        try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("the driver has no " + resource);
            }
            Files.createDirectories(folder);
            Path part = Files.createTempFile(folder, name, ".part");
            try {
                Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
                Files.move(part, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(part);
            }
        }
    }
}
