package io.htmlgraph.sidecar.view;

import java.io.StringWriter;
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

    private final Map<String, Mustache> compiled;
    /**
     * Each template's latest output length: the next output starts that large instead of growing from a few KB by
     * doubling (each step a copy; measured as a third of a sessions page's allocation).
     */
    private final Map<String, Integer> lastLength = new ConcurrentHashMap<>();

    Templates() {
        DefaultMustacheFactory factory = new DefaultMustacheFactory("templates");
        compiled = NAMES.stream().collect(Collectors.toUnmodifiableMap(Function.identity(),
                name -> factory.compile(name + ".mustache")));
    }

    String render(String name, Object scope) {
        Mustache template = compiled.get(name);
        if (template == null) {
            throw new IllegalArgumentException("no template " + name);
        }
        int expected = lastLength.getOrDefault(name, 4096);
        StringWriter out = new StringWriter(expected + expected / 8);
        template.execute(out, scope);
        lastLength.put(name, out.getBuffer().length());
        return out.toString();
    }
}
