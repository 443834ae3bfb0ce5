package io.htmlgraph.sidecar.ops;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.htmlgraph.sidecar.Hooks;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/** A sidecar process with the launcher's heap options gives back the heap a burst grew, once, when quiet. */
class HeapReturnTest {
    private static final Pattern MAIN = Pattern.compile("JSON API\\s+(http://\\S+)/api/sessions");
    private static final Pattern ADMIN = Pattern.compile("health\\s+(http://\\S+)/health");
    private static final Pattern FIGURE = Pattern.compile("^(\\w+)(?:\\{([^}]*)})? (\\S+)$",
                                                                  Pattern.MULTILINE);

    @Test
    void afterABurstOfBatches_aQuietSidecarGivesItsHeapBack_oncePerQuietSpell() throws Exception {
        Path db = Files.createTempDirectory("heap").resolve("a.db");
        SidecarProcess p = SidecarProcess.start(Map.of("HTMLGRAPH_DB", db.toString(), "HTMLGRAPH_PORT", "0",
                "HTMLGRAPH_ADMIN_PORT", "0", "HTMLGRAPH_HEAP_RETURN_AFTER", "1s",
                "JAVA_TOOL_OPTIONS", launcherHeapOptions()));
        try (HttpClient http = HttpClient.newHttpClient()) {
            Matcher main = MAIN.matcher(p.awaitLine("JSON API"));
            Matcher admin = ADMIN.matcher(p.awaitLine("health  "));
            assertThat(main.find() && admin.find(), is(true));
            URI metrics = URI.create(admin.group(1) + "/metrics");
            Thread.sleep(2500); // past the looks after the start, which may give back what it grew
            double returnsBefore = returns(http, metrics);

            // batches eight at a time (the hooks parsed while they wait for the writer outlive young collections),
            // each followed by a quiet spell, until one moved enough into the old generation to be worth a collection
            String prompt = "x".repeat(1000);
            double old = 0;
            double returns = returnsBefore;
            for (int burst = 0; burst < 20 && returns == returnsBefore; burst++) {
                List<CompletableFuture<HttpResponse<String>>> batches = IntStream.range(0, 8).mapToObj(b -> {
                    String ndjson = IntStream.range(0, 500).mapToObj(i -> Hooks.prompt("s-" + b, prompt))
                            .collect(Collectors.joining("\n"));
                    return http.sendAsync(HttpRequest.newBuilder(URI.create(main.group(1) + "/api/hooks"))
                            .header("Content-Type", "application/x-ndjson")
                            .POST(HttpRequest.BodyPublishers.ofString(ndjson)).build(),
                            HttpResponse.BodyHandlers.ofString());
                }).toList();
                batches.forEach(stored -> assertThat(stored.join().body(), stored.join().statusCode(), is(200)));
                old = sum(http, metrics, "jvm_memory_used_bytes", "id=\"Tenured Gen\"");
                long quietUntil = System.nanoTime() + 2_500_000_000L;
                while ((returns = returns(http, metrics)) == returnsBefore && System.nanoTime() < quietUntil) {
                    Thread.sleep(100);
                }
            }
            assertThat("one full collection once quiet", returns, is(returnsBefore + 1));
            assertThat("old generation after it (bytes), against " + old + " after the batches",
                       sum(http, metrics, "jvm_memory_used_bytes", "id=\"Tenured Gen\""),
                       lessThan(old - (HeapReturn.GROWTH_MB << 20)));

            Thread.sleep(3500); // three more looks, quiet
            assertThat("no second one in the same quiet spell", returns(http, metrics), is(returns));
        } finally {
            p.process().destroyForcibly();
        }
    }

    private static double returns(HttpClient http, URI metrics) throws Exception {
        return sum(http, metrics, "jvm_gc_pause_seconds_count", "cause=\"System.gc()\"");
    }

    /** The heap options of the launcher's SIDECAR_JAVA_OPTS default (without its class-data archive). */
    private static String launcherHeapOptions() throws Exception {
        Matcher defaults = Pattern.compile("SIDECAR_JAVA_OPTS:-\"([^\"]+)\"")
                .matcher(Files.readString(Path.of("sidecar")));
        assertThat(defaults.find(), is(true));
        return Arrays.stream(defaults.group(1).split(" "))
                .filter(option -> !option.contains("SharedArchive") && !option.startsWith("-Xlog"))
                .collect(Collectors.joining(" "));
    }

    /** The sum of a family's samples whose labels contain {@code label}. */
    private static double sum(HttpClient http, URI metrics, String family, String label) throws Exception {
        String text = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
        double sum = 0;
        Matcher figure = FIGURE.matcher(text);
        while (figure.find()) {
            if (figure.group(1).equals(family) && (label.isEmpty() || figure.group(2).contains(label))) {
                sum += Double.parseDouble(figure.group(3));
            }
        }
        return sum;
    }
}
