package io.htmlgraph.sidecar.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * With {@code htmlgraph.native-dir} set, a new JVM that opens a store loads SQLite's native library from the copy
 * kept in that folder (the path is in the process's memory map), makes the copy once and keeps it across starts;
 * a folder that cannot be written leaves the driver to load the library as it always does. Each case starts a JVM
 * of its own: the driver loads its library once per process.
 */
class NativeLibraryTest {
    @Test
    void aStoreOpened_loadsTheKeptCopy_madeOnceAndKeptAcrossStarts(@TempDir Path dir) throws Exception {
        Path folder = dir.resolve("native");

        String first = openStoreInNewJvm(folder, dir.resolve("a.db"));

        Path copy = folder.resolve("sqlite-jdbc-" + SQLiteJDBCLoader.getVersion())
                .resolve(LibraryLoaderUtil.getNativeLibName());
        assertThat(first, containsString("loaded from " + copy));
        try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(
                LibraryLoaderUtil.getNativeLibResourcePath() + "/" + LibraryLoaderUtil.getNativeLibName())) {
            assertArrayEquals(in.readAllBytes(), Files.readAllBytes(copy));
        }
        try (Stream<Path> files = Files.list(copy.getParent())) {
            assertThat("no part-written copy is left", files.toList(), hasSize(1));
        }
        FileTime made = Files.getLastModifiedTime(copy);
        Files.setLastModifiedTime(copy, FileTime.fromMillis(made.toMillis() - 60_000));

        String second = openStoreInNewJvm(folder, dir.resolve("b.db"));

        assertThat(second, containsString("loaded from " + copy));
        assertThat("the copy is not made again", Files.getLastModifiedTime(copy).toMillis(),
                   is(made.toMillis() - 60_000));
    }

    @Test
    void aFolderThatCannotBeWritten_leavesTheDriverToLoadItAsBefore(@TempDir Path dir) throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("native"), "a file where the folder would be");

        String out = openStoreInNewJvm(notAFolder, dir.resolve("a.db"));

        assertThat(out, containsString("store opened"));
        assertThat(out, not(containsString(notAFolder.toString())));
    }

    /** Opens a store in a new JVM with the property set; returns what it printed. */
    private static String openStoreInNewJvm(Path folder, Path db) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process process = new ProcessBuilder(List.of(java, "-D" + NativeLibrary.PROPERTY + "=" + folder,
                "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), OpenStore.class.getName(), db.toString()))
                .redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(out, process.waitFor(60, TimeUnit.SECONDS), is(true));
        assertThat(out, process.exitValue(), is(0));
        return out;
    }

    /** The new JVM: opens the store, then prints where its SQLite library was mapped from. */
    static final class OpenStore {
        private OpenStore() {
        }

        public static void main(String[] args) throws IOException {
            try (Database database = Database.open(Path.of(args[0]))) {
                System.out.println("store opened");
            }
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                if (line.contains(LibraryLoaderUtil.getNativeLibName())) {
                    System.out.println("loaded from " + line.substring(line.indexOf('/')));
                }
            }
        }
    }
}
