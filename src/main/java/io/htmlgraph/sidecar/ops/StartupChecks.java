package io.htmlgraph.sidecar.ops;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Checks made before anything is opened, so that the usual start-up failures end in one line naming what to
 * change (a port's variable, a file's permission) instead of a server's stack traces.
 */
public final class StartupChecks {
    private StartupChecks() {
    }

    /** Fails when {@code host:port} cannot be bound (another process holds it); port 0 is always free. */
    public static void portFree(String host, int port, String variable) {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new StartupException("port " + port + " on " + host + " is not available (" + e.getMessage()
                    + "; another sidecar?): set " + variable + " to a free port, or 0 for any");
        }
    }

    /** Fails when the database file or its directory exists but cannot be read and written by this process. */
    public static void databaseUsable(Path file) {
        Path absolute = file.toAbsolutePath();
        if (Files.exists(absolute)) {
            if (!Files.isRegularFile(absolute)) {
                throw new StartupException("the database " + absolute + " is not a file: set HTMLGRAPH_DB to a file");
            }
            if (!Files.isReadable(absolute) || !Files.isWritable(absolute)) {
                throw new StartupException("cannot open the database " + absolute + ": permission denied (it needs"
                        + " read and write permission for user " + System.getProperty("user.name") + "; it is "
                        + permissions(absolute) + ")");
            }
        }
        Path dir = absolute.getParent();
        if (dir != null && Files.isDirectory(dir) && !Files.isWritable(dir)) {
            throw new StartupException("cannot write in " + dir + ": permission denied (SQLite keeps the database's"
                    + " -wal and -shm files beside it; user " + System.getProperty("user.name") + " needs write"
                    + " permission there; it is " + permissions(dir) + ")");
        }
    }

    private static String permissions(Path path) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(path)) + " owned by "
                   + Files.getOwner(path).getName();
        } catch (IOException | UnsupportedOperationException e) {
            return "not accessible";
        }
    }
}
