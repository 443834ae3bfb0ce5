package io.htmlgraph.sidecar.view;

import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;

/**
 * The dashboard's mustache templates ({@code templates/pages}, {@code templates/fragments}), compiled once at start
 * (a template error stops the sidecar then, not a request later). {@code {{x}}} escapes HTML, quotes included.
 */
final class Templates {
    private static final List<String> NAMES = List.of("pages/dashboard", "pages/login", "fragments/activity",
            "fragments/turn", "fragments/sessions", "fragments/session", "fragments/agents", "fragments/orchestration",
            "fragments/features", "fragments/spawners", "fragments/metrics", "fragments/attention",
            "fragments/counters", "fragments/error", "fragments/tree",
            "fragments/session-row");

    /** A render's output kept by a read pool thread for its next render is at most this large. */
    private static final int KEPT_OUTPUT_BYTES = 256 * 1024;
    /**
     * The stream and writer a platform thread (the read pool's few, which render the fragments) renders into, reused:
     * a new encoder and buffers per render were a fixed 24 KB, more than a small fragment itself.
     */
    private static final ThreadLocal<Output> OUTPUTS = ThreadLocal.withInitial(() -> new Output(8192));

    private final Map<String, Mustache> compiled;
    /** Each template's latest output length: a render on a virtual thread starts that large (no copies to grow). */
    private final Map<String, Integer> lastLength = new ConcurrentHashMap<>();

    Templates() {
        DefaultMustacheFactory factory = new DefaultMustacheFactory("templates");
        compiled = NAMES.stream().collect(Collectors.toUnmodifiableMap(Function.identity(),
                name -> factory.compile(name + ".mustache")));
    }

    /**
     * The template's output as UTF-8, encoded as it is written: a string of the whole output would be copied out of
     * its builder, held in UTF-16 as soon as one character is not Latin-1 (agent text often has some), and encoded
     * again to be sent (docs/performance.md: the fragments' allocation).
     */
    byte[] render(String name, Object scope) {
        Mustache template = compiled.get(name);
        if (template == null) {
            throw new IllegalArgumentException("no template " + name);
        }
        boolean kept = !Thread.currentThread().isVirtual(); // a virtual thread serves one request
        Output out = kept ? OUTPUTS.get() : new Output(lastLength.getOrDefault(name, 8192));
        out.bytes.reset();
        try {
            template.execute(out.writer, scope);
            out.writer.flush();
        } catch (IOException e) {
            OUTPUTS.remove();
            throw new UncheckedIOException(e); // an array stream does not fail
        } catch (RuntimeException e) {
            OUTPUTS.remove(); // text of the failed render may wait in the writer
            throw e;
        }
        byte[] html = out.bytes.toByteArray();
        lastLength.put(name, html.length + html.length / 8);
        if (html.length > KEPT_OUTPUT_BYTES) {
            OUTPUTS.remove();
        }
        return html;
    }

    /** An array stream and a UTF-8 writer into it; buffered, since the encoder wraps each piece it is given. */
    private static final class Output {
        private final ByteArrayOutputStream bytes;
        private final Writer writer;

        Output(int size) {
            bytes = new ByteArrayOutputStream(size);
            // a size of its own: by default the buffer starts at 512 chars and grows by each write's length, a copy
            // per write up to 8,192 (two thirds of a page's allocation when measured)
            writer = new BufferedWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8), 8192);
        }
    }
}
