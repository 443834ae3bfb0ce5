package io.htmlgraph.sidecar.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.htmlgraph.sidecar.ingest.Masker;
import io.htmlgraph.sidecar.ingest.SecretCorpus;

/**
 * Times the masking rules on the hook path's text: every string of the real hook payloads (the shared fixtures), the
 * secret corpus, and 64 KB texts (a payload's largest), printing per-text p50/p99 and throughput.
 * <pre>
 * ./sidecar bench masking
 * </pre>
 */
public final class MaskingLoad {
    private MaskingLoad() {
    }

    public static void main(String[] args) throws Exception {
        Path fixtures = Path.of(args.length > 0 ? args[0] : "../shared/fixtures/claude-code-hooks");
        List<List<String>> payloads = new ArrayList<>();
        if (Files.isDirectory(fixtures)) {
            ObjectMapper json = new ObjectMapper();
            try (Stream<Path> files = Files.walk(fixtures)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                    for (JsonNode payload : json.readTree(file.toFile())) {
                        List<String> texts = new ArrayList<>();
                        collect(payload, texts);
                        payloads.add(texts);
                    }
                }
            }
        }
        List<String> corpus = SecretCorpus.cases().stream().map(SecretCorpus.Case::text).toList();
        String plain = String.join("\n", payloads.stream().flatMap(List::stream).toList());
        String big = plain.substring(0, Math.min(plain.length(), 64 * 1024));
        String dense = String.join("\n", corpus).repeat(8).substring(0, 64 * 1024);
        Masker masker = Masker.standard();
        System.out.printf("masking, %d rules (JVM options as launched; the machine may be shared: figures are noisy)%n",
                          masker.ruleCount());
        report("one hook payload (all its strings), " + payloads.size() + " real payloads", payloads, masker, 30);
        report("one secret of the corpus in its context, " + corpus.size() + " cases",
               corpus.stream().map(List::of).toList(), masker, 30);
        report("64 KB of real payload text", List.of(List.of(big)), masker, 200);
        report("64 KB dense with secrets (worst case)", List.of(List.of(dense)), masker, 50);
    }

    private static void report(String what, List<List<String>> units, Masker masker, int rounds) {
        for (int warm = 0; warm < 5; warm++) {
            units.forEach(unit -> unit.forEach(masker::mask));
        }
        long[] nanos = new long[units.size() * rounds];
        long chars = 0;
        long started = System.nanoTime();
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < units.size(); i++) {
                long t0 = System.nanoTime();
                for (String text : units.get(i)) {
                    masker.mask(text);
                    chars += text.length();
                }
                nanos[round * units.size() + i] = System.nanoTime() - t0;
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("  %-60s p50 %7.3f ms  p99 %7.3f ms  %6.1f MB/s%n", what, pct(nanos, 50), pct(nanos, 99),
                          chars / seconds / 1e6);
    }

    private static void collect(JsonNode node, List<String> texts) {
        if (node.isTextual()) {
            texts.add(node.textValue());
        }
        node.forEach(child -> collect(child, texts));
    }

    private static double pct(long[] nanos, int percentile) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, sorted.length * percentile / 100)] / 1e6;
    }
}
