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

/** A sidecar process with the launcher's heap options gives back the heap a burst grew, once, when quiet. */
class HeapReturnTest {
    private static final Pattern MAIN = Pattern.compile("JSON API\\s+(http://\\S+)/api/sessions");
    private static final Pattern ADMIN = Pattern.compile("health\\s+(http://\\S+)/health");
    private static final Pattern FIGURE = Pattern.compile("^(\\w+)(?:\\{([^}]*)})? (\\S+)$", Pattern.MULTILINE);

    @Test
    void afterABurstOfReads_aQuietSidecarGivesItsHeapBack_oncePerQuietSpell() throws Exception {
        Path db = Files.createTempDirectory("heap").resolve("a.db");
        SidecarProcess p = SidecarProcess.start(Map.of("HTMLGRAPH_DB", db.toString(), "HTMLGRAPH_PORT", "0",
                "HTMLGRAPH_ADMIN_PORT", "0", "HTMLGRAPH_HEAP_RETURN_AFTER", "1s", "HTMLGRAPH_QUERY_CACHE_ENTRIES", "0",
                "JAVA_TOOL_OPTIONS", launcherHeapOptions()));
        try (HttpClient http = HttpClient.newHttpClient()) {
            Matcher main = MAIN.matcher(p.awaitLine("JSON API"));
            Matcher admin = ADMIN.matcher(p.awaitLine("health  "));
            assertThat(main.find() && admin.find(), is(true));
            URI metrics = URI.create(admin.group(1) + "/metrics");
            String prompt = "x".repeat(1000);
            String ndjson = IntStream.range(0, 2000).mapToObj(i -> Hooks.prompt("s-" + i % 50, prompt))
                    .collect(Collectors.joining("\n"));
            assertThat(post(http, main.group(1) + "/api/hooks", ndjson), is(200));
            long settled = System.nanoTime() + 10_000_000_000L;
            while (pending(scrape(http, metrics)) && System.nanoTime() < settled) {
                Thread.sleep(1000); // what the start moved to the old generation, given back
            }
            double returnsBefore = returns(http, metrics);

            // pages of events 48 at a time, rounds of them: what waits to be sent outlives young collections; each
            // burst followed by a quiet spell, until one moved enough into the old generation to be worth a collection
            double returns = returnsBefore;
            HttpRequest page = HttpRequest.newBuilder(URI.create(main.group(1) + "/api/events?limit=100")).build();
            for (int burst = 0; burst < 10 && returns == returnsBefore; burst++) {
                for (int round = 0; round < 10; round++) {
                    List<CompletableFuture<HttpResponse<Void>>> reads = IntStream.range(0, 48)
                            .mapToObj(i -> http.sendAsync(page, HttpResponse.BodyHandlers.discarding())).toList();
                    reads.forEach(read -> assertThat(read.join().statusCode(), is(200)));
                }
                long quietUntil = System.nanoTime() + 5_000_000_000L;
                while ((returns = returns(http, metrics)) == returnsBefore && System.nanoTime() < quietUntil) {
                    Thread.sleep(1000); // a scrape allocates: polled faster, it would keep the sidecar from being quiet
                }
            }
            assertThat("one full collection once quiet", returns, is(returnsBefore + 1));
            assertThat("the old generation holds its live data only", pending(scrape(http, metrics)), is(false));

            Thread.sleep(3500); // three more looks, quiet
            assertThat("no second one in the same quiet spell", returns(http, metrics), is(returns));
        } finally {
            p.process().destroyForcibly();
        }
    }

    private static int post(HttpClient http, String uri, String ndjson) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(uri)).header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(ndjson)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    /** Whether the old generation holds enough over what the last full collection left for a return. */
    private static boolean pending(String scrape) {
        return sum(scrape, "jvm_memory_used_bytes", "id=\"Tenured Gen\"")
               - sum(scrape, "jvm_gc_live_data_size_bytes", "") >= HeapReturn.GROWTH_MB << 20;
    }

    private static double returns(HttpClient http, URI metrics) throws Exception {
        return sum(scrape(http, metrics), "jvm_gc_pause_seconds_count", "cause=\"System.gc()\"");
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

    private static String scrape(HttpClient http, URI metrics) throws Exception {
        return http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The sum of a family's samples whose labels contain {@code label}. */
    private static double sum(String scrape, String family, String label) {
        double sum = 0;
        Matcher figure = FIGURE.matcher(scrape);
        while (figure.find()) {
            if (figure.group(1).equals(family) && (label.isEmpty() || figure.group(2).contains(label))) {
                sum += Double.parseDouble(figure.group(3));
            }
        }
        return sum;
    }
}
