package io.htmlgraph.sidecar.ops;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * {@code 2026-11-30T20:56:42.463Z INFO io.htmlgraph.sidecar.Main [req-id]: message (cause: ...)}: one line per
 * record; a throwable is summarised by its causes' messages unless {@code debug} asks for its stack trace.
 */
public final class TextLogFormatter extends Formatter {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final boolean debug;

    public TextLogFormatter(boolean debug) {
        this.debug = debug;
    }

    @Override
    public String format(LogRecord record) {
        StringBuilder line = new StringBuilder(TIME.format(Instant.ofEpochMilli(record.getMillis())))
                .append(' ').append(record.getLevel().getName()).append(' ').append(record.getLoggerName());
        RequestIds.current().ifPresent(id -> line.append(" [").append(id).append(']'));
        line.append(": ").append(formatMessage(record));
        Throwable thrown = record.getThrown();
        if (thrown != null && debug) {
            StringWriter trace = new StringWriter();
            thrown.printStackTrace(new PrintWriter(trace));
            line.append(System.lineSeparator()).append(trace.toString().stripTrailing());
        } else if (thrown != null) {
            line.append(" (").append(oneLine(thrown)).append(')');
        }
        return line.append(System.lineSeparator()).toString();
    }

    /** A throwable and its causes as {@code Type: message; caused by Type: message}, without stack frames. */
    static String oneLine(Throwable thrown) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (!text.isEmpty()) {
                text.append("; caused by ");
            }
            text.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
        }
        return text.toString();
    }
}
