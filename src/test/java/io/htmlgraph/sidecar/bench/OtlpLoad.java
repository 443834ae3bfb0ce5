package io.htmlgraph.sidecar.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.htmlgraph.sidecar.otlp.Otlp;

/**
 * Load program for OTLP log ingest (not a test): first opens turns (prompts with prompt ids, over the hook route),
 * then drives {@code POST /v1/logs} over keep-alive connections with batches of Claude Code
 * {@code claude_code.api_request} records for those turns, every record a new request id, and prints records/s and
 * request latency percentiles.
 * <pre>
 * java -cp ... io.htmlgraph.sidecar.bench.OtlpLoad --url http://127.0.0.1:8080 --seconds 10 --connections 4 \
 *      --batch 100 --encoding json
 * </pre>
 */
public final class OtlpLoad {
    /** Turns per connection: WINDOWS groups of 20; each request's batch covers one group, the next request the next. */
    private static final int WINDOWS = 100;
    private static final int TURNS_PER_WINDOW = 20;
    /** Stands for the unique part of each request id in the prepared batch (same length as its replacement). */
    private static final String MARK = "XXXXXXXXXXXXXX";
    /** Stands for the window (group of turns) of each request's batch. */
    private static final String WINDOW = "WWWWWW";

    private OtlpLoad() {
    }

    public static void main(String[] args) throws Exception {
        String url = option(args, "--url", "http://127.0.0.1:8080");
        int connections = Integer.parseInt(option(args, "--connections", "4"));
        int batch = Integer.parseInt(option(args, "--batch", "200"));
        int seconds = Integer.parseInt(option(args, "--seconds", "10"));
        boolean json = !"protobuf".equals(option(args, "--encoding", "json"));
        int warmup = Integer.parseInt(option(args, "--warmup", "10"));
        String run = "b" + System.nanoTime();
        openTurns(URI.create(url), run, connections);
        load(url, run + "-warm", connections, batch, json, Duration.ofSeconds(warmup), "warmup");
        load(url, run, connections, batch, json, Duration.ofSeconds(seconds), "measured");
    }

    private static void openTurns(URI url, String run, int connections) throws IOException {
        try (KeepAliveConnection http = new KeepAliveConnection(url.getHost(), url.getPort())) {
            for (int c = 0; c < connections; c++) {
                for (int w = 0; w < WINDOWS; w++) {
                    StringBuilder prompts = new StringBuilder("[");
                    for (int t = 0; t < TURNS_PER_WINDOW; t++) {
                        prompts.append(t == 0 ? "" : ",").append("{\"session_id\":\"").append(run).append("-s")
                                .append(c).append('-').append(String.format("%06d", w))
                                .append("\",\"hook_event_name\":\"UserPromptSubmit\",\"prompt\":\"turn\",")
                                .append("\"prompt_id\":\"")
                                .append(promptId(run, c, String.format("%06d", w), t)).append("\"}");
                    }
                    byte[] body = prompts.append(']').toString().getBytes(StandardCharsets.UTF_8);
                    if (http.post("/api/hooks", body) != 200) {
                        throw new IllegalStateException("could not open the turns");
                    }
                }
            }
        }
    }

    private static String promptId(String run, int connection, String window, int turn) {
        return run + "-p" + connection + "-" + window + "-" + turn;
    }

    private static void load(String url, String run, int connections, int batch, boolean json, Duration duration,
                             String phase) throws InterruptedException {
        String prompts = run.endsWith("-warm") ? run.substring(0, run.length() - 5) : run;
        ConnectionLoad.Result r = ConnectionLoad.run(URI.create(url), connections, duration, connection -> {
            // The batch is built once per connection with marked request ids; each request swaps in new ones, so
            // the client spends its time sending, not building JSON.
            Otlp records = new Otlp();
            for (int i = 0; i < batch; i++) {
                records.apiRequest(prompts + "-s" + connection + "-" + WINDOW,
                        promptId(prompts, connection, WINDOW, i / 10 % TURNS_PER_WINDOW),
                        "req_" + MARK + String.format("%06d", i), "claude-opus-4-5", 1200, 300, 5000, 800,
                        i % 2 == 0 ? 0.0401 : null);
            }
            byte[] template = json ? records.json().getBytes(StandardCharsets.UTF_8) : records.protobuf();
            byte[] mark = MARK.getBytes(StandardCharsets.US_ASCII);
            byte[] window = WINDOW.getBytes(StandardCharsets.US_ASCII);
            long[] sent = {0};
            return http -> {
                byte[] body = template.clone();
                byte[] unique = String.format("%s%02d%08d", run.substring(run.length() - 4), connection, sent[0])
                        .substring(0, mark.length).getBytes(StandardCharsets.US_ASCII);
                replaceAll(body, mark, unique);
                byte[] group = String.format("%06d", sent[0]++ % WINDOWS).getBytes(StandardCharsets.US_ASCII);
                replaceAll(body, window, group);
                return json ? http.post("/v1/logs", body) : http.post("/v1/logs", body, "application/x-protobuf");
            };
        });
        System.out.printf("%-8s encoding=%s batch=%d connections=%d requests=%d records=%d errors=%d  %,.0f records/s"
                          + "  %,.0f req/s  latency ms p50=%.2f p99=%.2f max=%.2f%n",
                phase, json ? "json" : "protobuf", batch, connections, r.requests(), r.requests() * batch,
                r.errors(), r.perSecond() * batch, r.perSecond(), r.ms(50), r.ms(99), r.ms(100));
    }

    private static void replaceAll(byte[] body, byte[] mark, byte[] with) {
        outer:
        for (int i = 0; i <= body.length - mark.length; i++) {
            for (int j = 0; j < mark.length; j++) {
                if (body[i + j] != mark[j]) {
                    continue outer;
                }
            }
            System.arraycopy(with, 0, body, i, with.length);
            i += mark.length - 1;
        }
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
