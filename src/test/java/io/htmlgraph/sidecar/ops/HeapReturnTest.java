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

/**
 * A sidecar process with the launcher's heap options runs its full collections at quiet moments: once quiet after a
 * burst (the heap goes back), and between batches once the old generation has used half its room.
 */
class HeapReturnTest {
    private static final Pattern MAIN = Pattern.compile("JSON API\\s+(http://\\S+)/api/sessions");
    private static final Pattern ADMIN = Pattern.compile("health\\s+(http://\\S+)/health");
    private static final Pattern FIGURE = Pattern.compile("^(\\w+)(?:\\{([^}]*)})? (\\S+)$", Pattern.MULTILINE);

    @Test
    void afterABurstOfReads_aQuietSidecarGivesItsHeapBack_oncePerQuietSpell() throws Exception {
        try (Sidecar s = Sidecar.start("1s")) {
            long settled = System.nanoTime() + 10_000_000_000L;
            while (pending(s.scrape()) && System.nanoTime() < settled) {
                Thread.sleep(1000); // what the start moved to the old generation, given back
            }
            double returnsBefore = s.returns();

            // each burst followed by a quiet spell, until one moved enough into the old generation to be worth a
            // collection
            double returns = returnsBefore;
            for (int burst = 0; burst < 10 && returns == returnsBefore; burst++) {
                s.burst();
                long quietUntil = System.nanoTime() + 5_000_000_000L;
                while ((returns = s.returns()) == returnsBefore && System.nanoTime() < quietUntil) {
                    Thread.sleep(1000); // a scrape allocates: polled faster, it would keep the sidecar from being quiet
                }
            }
            assertThat("one full collection once quiet", returns, is(returnsBefore + 1));
            assertThat("the old generation holds its live data only", pending(s.scrape()), is(false));

            Thread.sleep(3500); // three more looks, quiet
            assertThat("no second one in the same quiet spell", s.returns(), is(returns));
        }
    }

    @Test
    void betweenBatchesOfHooks_theCollectionTheOldGenerationNeedsRunsWhileIdle() throws Exception {
        try (Sidecar s = Sidecar.start("1h")) { // never quiet long enough: only being idle can ask for one
            double before = s.returns();
            double allocationFailures = s.fullCollections("Allocation Failure");
            // batches (what waits for the writer outlives young collections; bursts of reads stopped promoting
            // below half, in some runs) until the old generation has used half the room the last full collection
            // left, unless a look while idle in between already collected it
            for (int batches = 0; s.returns() == before && !halfFull(s.scrape()); batches++) {
                assertThat("the old generation reached half its room within 60 batches", batches < 60, is(true));
                s.batch(500);
            }
            long idleUntil = System.nanoTime() + 3_000_000_000L;
            while (s.returns() == before && System.nanoTime() < idleUntil) {
                Thread.sleep(500);
            }
            assertThat("a full collection while idle", s.returns(), is(before + 1));
            assertThat("none forced by a full old generation", s.fullCollections("Allocation Failure"),
                       is(allocationFailures));
        }
    }

    /** Whether the old generation holds half the room over what the last full collection left in it, or more. */
    private static boolean halfFull(String scrape) {
        double left = sum(scrape, "jvm_gc_live_data_size_bytes", "");
        return sum(scrape, "jvm_memory_used_bytes", "id=\"Tenured Gen\"") - left
               >= (sum(scrape, "jvm_memory_max_bytes", "id=\"Tenured Gen\"") - left) / 2;
    }

    /** A sidecar on a new store with the launcher's heap options, the query cache off and the quiet time given. */
    private record Sidecar(SidecarProcess process, HttpClient http, URI main, URI metrics) implements AutoCloseable {
        static Sidecar start(String heapReturnAfter) throws Exception {
            Path db = Files.createTempDirectory("heap").resolve("a.db");
            SidecarProcess p = SidecarProcess.start(Map.of("HTMLGRAPH_DB", db.toString(), "HTMLGRAPH_PORT", "0",
                    "HTMLGRAPH_ADMIN_PORT", "0", "HTMLGRAPH_HEAP_RETURN_AFTER", heapReturnAfter,
                    "HTMLGRAPH_QUERY_CACHE_ENTRIES", "0", "JAVA_TOOL_OPTIONS", launcherHeapOptions()));
            Matcher main = MAIN.matcher(p.awaitLine("JSON API"));
            Matcher admin = ADMIN.matcher(p.awaitLine("health  "));
            assertThat(main.find() && admin.find(), is(true));
            Sidecar s = new Sidecar(p, HttpClient.newHttpClient(), URI.create(main.group(1)),
                                    URI.create(admin.group(1) + "/metrics"));
            s.batch(2000);
            return s;
        }

        /** A batch of prompts of 1,000 characters each, over 50 sessions. */
        void batch(int hooks) throws Exception {
            String prompt = "x".repeat(1000);
            String ndjson = IntStream.range(0, hooks).mapToObj(i -> Hooks.prompt("s-" + i % 50, prompt))
                    .collect(Collectors.joining("\n"));
            assertThat(post(http, main.resolve("/api/hooks").toString(), ndjson), is(200));
        }

        /** Ten rounds of 48 pages of events at once: what waits to be sent outlives young collections. */
        void burst() {
            HttpRequest page = HttpRequest.newBuilder(main.resolve("/api/events?limit=100")).build();
            for (int round = 0; round < 10; round++) {
                List<CompletableFuture<HttpResponse<Void>>> reads = IntStream.range(0, 48)
                        .mapToObj(i -> http.sendAsync(page, HttpResponse.BodyHandlers.discarding())).toList();
                reads.forEach(read -> assertThat(read.join().statusCode(), is(200)));
            }
        }

        String scrape() throws Exception {
            return http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
        }

        double returns() throws Exception {
            return fullCollections("System.gc()");
        }

        double fullCollections(String cause) throws Exception {
            return sum(scrape(), "jvm_gc_pause_seconds_count", "action=\"end of major GC\",cause=\"" + cause + "\"");
        }

        @Override
        public void close() {
            http.close();
            process.process().destroyForcibly();
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
