package io.htmlgraph.sidecar.ingest;

import java.time.Instant;

import io.htmlgraph.sidecar.domain.BadInputException;
import io.htmlgraph.sidecar.domain.ErrorCode;

/** The usage figures of one request in each CLI's telemetry attribute names. */
final class OtlpFigures {
    private OtlpFigures() {
    }

    /** Claude Code: {@code claude_code.api_request} / {@code api_error} events and {@code llm_request} spans. */
    static UsageRecords.Figures claude(Attrs a, String sessionId, Instant at) {
        String agentKey = a.id("agent_id");
        String querySource = a.text("query_source");
        String agentName = agentKey != null || "subagent".equals(querySource)
                ? firstOf(a.id("agent.name"), a.id("agent_type"), "subagent") : UsageRecords.MAIN_AGENT;
        Double cost = a.number("cost_usd");
        if (cost == null && a.number("cost_usd_micros") != null) {
            cost = a.number("cost_usd_micros") / 1_000_000.0;
        }
        if (cost != null && cost > UsageRecords.MAX_COST_USD) {
            throw new BadInputException(ErrorCode.INVALID_ATTRIBUTE, "'cost_usd' must be at most 1e9 USD");
        }
        return new UsageRecords.Figures(sessionId, a.id("prompt.id"), agentKey, agentName, querySource,
                firstOf(a.id("model"), a.id("gen_ai.request.model"), null), a.id("request_id"),
                or0(a.count("input_tokens")), or0(a.count("output_tokens")), or0(a.count("cache_read_tokens")),
                or0(a.count("cache_creation_tokens")), 0, cost, OtlpLogs.whole(a.number("duration_ms")), at,
                feature(a));
    }

    /** Codex: token counts on {@code codex.sse_event} (response.completed); input includes the cached part. */
    static UsageRecords.Figures codex(Attrs a, String sessionId, Instant at) {
        long input = or0(a.count("input_token_count"));
        long cached = Math.min(input, or0(a.count("cached_token_count")));
        return new UsageRecords.Figures(sessionId, null, null, "codex", null, a.id("model"), null, input - cached,
                or0(a.count("output_token_count")), cached, 0, 0, null, OtlpLogs.whole(a.number("duration_ms")), at,
                feature(a));
    }

    /** Gemini CLI: {@code gemini_cli.api_response}; input includes the cached content, thoughts are output. */
    static UsageRecords.Figures gemini(Attrs a, String sessionId, Instant at) {
        long input = or0(a.count("input_token_count"));
        long cached = Math.min(input, or0(a.count("cached_content_token_count")));
        long output = or0(a.count("output_token_count")) + or0(a.count("thoughts_token_count"));
        return new UsageRecords.Figures(sessionId, a.id("prompt_id"), null, "gemini", null, a.id("model"), null,
                input - cached, output, cached, 0, 0, null, OtlpLogs.whole(a.number("duration_ms")), at, feature(a));
    }

    /** A feature named by the sender: {@code htmlgraph.feature_id} (e.g. in OTEL_RESOURCE_ATTRIBUTES). */
    private static String feature(Attrs a) {
        return firstOf(a.id("htmlgraph.feature_id"), a.id("feature_id"), null);
    }

    private static long or0(Long n) {
        return n == null ? 0 : n;
    }

    private static String firstOf(String a, String b, String c) {
        return a != null ? a : b != null ? b : c;
    }
}
