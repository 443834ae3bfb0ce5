package io.htmlgraph.sidecar.ops;

import java.io.PrintStream;
import java.util.Locale;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.htmlgraph.sidecar.config.InvalidConfigException;
import io.htmlgraph.sidecar.store.StoreException;

/**
 * Logging set up from {@code HTMLGRAPH_LOG_LEVEL} and {@code HTMLGRAPH_LOG_FORMAT}: one line per record on standard
 * output, readable text or one JSON object (for log pipelines). Stack traces only at {@code debug}: an operator
 * reads one line saying what failed; a developer turns on debug for the rest.
 */
public final class Logs {
    /** The read pool's library, whose start and stop lines say nothing an operator acts on (kept: JUL holds weakly). */
    private static final Logger CONNECTION_POOL = Logger.getLogger("com.zaxxer.hikari");

    private Logs() {
    }

    /** Replaces the root handlers with one that writes {@code format} ({@code text} or {@code json}). */
    public static void configure(String level, String format) {
        boolean debug = level.equals("debug");
        Formatter formatter = format.equals("json") ? new JsonLogFormatter(debug) : new TextLogFormatter(debug);
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        Handler handler = new LineHandler(System.out);
        handler.setFormatter(formatter);
        root.addHandler(handler);
        root.setLevel(switch (level) {
            case "debug" -> Level.FINE;
            case "warning" -> Level.WARNING;
            case "error" -> Level.SEVERE;
            default -> Level.INFO;
        });
        CONNECTION_POOL.setLevel(debug ? null : Level.WARNING);
    }

    /** Whether stack traces are wanted: {@code HTMLGRAPH_LOG_LEVEL=debug} (read directly: config may be broken). */
    public static boolean debug() {
        return "debug".equals(String.valueOf(System.getenv("HTMLGRAPH_LOG_LEVEL")).trim().toLowerCase(Locale.ROOT));
    }

    /** Reports why a command failed: one line on standard error, the stack trace too at debug. */
    public static void failure(Exception e) {
        String what = e instanceof StartupException || e instanceof InvalidConfigException
                      || e instanceof StoreException ? e.getMessage() : TextLogFormatter.oneLine(e);
        System.err.println("htmlgraph-sidecar cannot start: " + what);
        if (debug()) {
            e.printStackTrace(System.err);
        }
    }

    /** Writes each formatted record and flushes, so that lines reach a pipe at once and never interleave. */
    private static final class LineHandler extends Handler {
        private final PrintStream out;

        LineHandler(PrintStream out) {
            this.out = out;
        }

        @Override
        public synchronized void publish(LogRecord record) {
            if (isLoggable(record)) {
                out.print(getFormatter().format(record));
                out.flush();
            }
        }

        @Override
        public void flush() {
            out.flush();
        }

        @Override
        public void close() {
            out.flush();
        }
    }
}
