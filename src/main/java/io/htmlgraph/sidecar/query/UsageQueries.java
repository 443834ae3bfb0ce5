package io.htmlgraph.sidecar.query;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.dbclient.DbRow;
import io.htmlgraph.sidecar.store.Database;
import io.htmlgraph.sidecar.store.Params;
import io.htmlgraph.sidecar.store.Rows;
import io.htmlgraph.sidecar.store.Reads;
import io.htmlgraph.sidecar.domain.Usage;

/**
 * Token and cost figures read from the {@code usage_records} view, where every API request (telemetry or
 * transcript, attributed or still pending) and every spawner report appears once: totals, and sums per session,
 * turn, model, agent and feature.
 */
public final class UsageQueries {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Reads db;

    public UsageQueries(Database database) {
        this.db = database.reads();
    }

    /** A row's figures (an event row, or a sum row of the view). */
    static Usage usage(DbRow r) {
        return usage(Rows.whole(r, "input_tokens"), Rows.whole(r, "output_tokens"),
                Rows.whole(r, "cache_read_tokens"), Rows.whole(r, "cache_creation_tokens"),
                Rows.whole(r, "total_tokens"), Rows.real(r, "cost_usd"), Rows.text(r, "cost_source"));
    }

    /** A row's figures from its columns; without {@code total_tokens}, the sum of the kinds reported. */
    static Usage usage(Long input, Long output, Long cacheRead, Long cacheCreation, Long total, Double cost,
                       String costSource) {
        if (total == null) {
            for (Long kind : new Long[] {input, output, cacheRead, cacheCreation}) {
                if (kind != null) {
                    total = (total == null ? 0 : total) + kind;
                }
            }
        }
        if (total == null && cost == null) {
            return Usage.NONE;
        }
        return new Usage(input, output, cacheRead, cacheCreation, total, cost(cost), costSource);
    }

    /** A cost to the nano-dollar (sums of shares carry binary fractions). */
    static Double cost(Double usd) {
        return usd == null ? null : Math.round(usd * 1e9) / 1e9;
    }

    /** Everything ever reported. */
    public Usage total() {
        return db.execute().namedGet("usage-total").map(UsageQueries::usage).orElse(Usage.NONE);
    }

    /** One session's figures, pending requests included. */
    public Usage session(String sessionId) {
        return Params.of("session_id", sessionId).get(db.execute(), "usage-session").map(UsageQueries::usage)
                .orElse(Usage.NONE);
    }

    /** A session's figures per model, costliest first. */
    public List<Keyed> sessionModels(String sessionId) {
        return keyed(Params.of("session_id", sessionId), "usage-session-models", "model");
    }

    /**
     * A session's tool calls with the figures of the API request that asked for each and how many calls shared it,
     * as far as transcripts told which request asked for which call.
     */
    public List<ToolCallShare> sessionToolCalls(String sessionId) {
        try (Stream<DbRow> rows = Params.of("session_id", sessionId).query(db.execute(), "usage-session-tool-calls")) {
            return rows.map(r -> {
                double calls = Rows.wholeOr0(r, "shared");
                Double cost = Rows.real(r, "cost_usd");
                return new ToolCallShare(Rows.text(r, "event_id"), Rows.text(r, "tool_use_id"),
                        Rows.text(r, "tool_name"), Rows.text(r, "input_summary"), Rows.text(r, "request_id"),
                        Rows.text(r, "model"), (long) calls, Rows.wholeOr0(r, "input_tokens") / calls,
                        Rows.wholeOr0(r, "output_tokens") / calls, Rows.wholeOr0(r, "cache_read_tokens") / calls,
                        Rows.wholeOr0(r, "cache_creation_tokens") / calls, cost == null ? null : cost / calls,
                        Rows.text(r, "cost_source"));
            }).toList();
        }
    }

    /**
     * A tool call's share of the API request that asked for it: the request's figures divided by the {@code calls}
     * it asked for (tokens as fractions, rounded where shown); {@code eventId} is null until the call's hook arrives.
     */
    public record ToolCallShare(String eventId, String toolUseId, String toolName, String inputSummary,
                                String requestId, String model, long calls, double input, double output,
                                double cacheRead, double cacheCreation, Double costUsd, String costSource) {
        public double tokens() {
            return input + output + cacheRead + cacheCreation;
        }
    }

    /** A session's API requests per turn (subagents' included), by turn event id. */
    public Map<String, Usage> sessionTurns(String sessionId) {
        Map<String, Usage> turns = new HashMap<>();
        keyed(Params.of("session_id", sessionId), "usage-session-turns", "turn_id")
                .forEach(k -> turns.put(k.key(), k.usage()));
        return turns;
    }

    /** Per agent and model. */
    public List<AgentModel> byAgentAndModel() {
        try (Stream<DbRow> rows = db.execute().namedQuery("usage-by-agent-model")) {
            return rows.map(r -> new AgentModel(Rows.text(r, "agent_id"), Rows.text(r, "model"), usage(r))).toList();
        }
    }

    /** Per feature, costliest first. */
    public List<Keyed> byFeature() {
        return keyed(new Params(), "usage-by-feature", "feature_id");
    }

    /** The figures of the given features, by id (features without any are absent). */
    public Map<String, Usage> features(List<String> ids) {
        Map<String, Usage> features = new HashMap<>();
        if (ids.isEmpty()) {
            return features;
        }
        try {
            keyed(Params.of("ids", JSON.writeValueAsString(ids)), "usage-features", "feature_id")
                    .forEach(k -> features.put(k.key(), k.usage()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return features;
    }

    private List<Keyed> keyed(Params params, String statement, String keyColumn) {
        try (Stream<DbRow> rows = params.query(db.execute(), statement)) {
            return rows.map(r -> new Keyed(Rows.text(r, keyColumn), usage(r))).toList();
        }
    }

    /** Figures under one key (a model, a turn, a feature). */
    public record Keyed(String key, Usage usage) {
    }

    /** Figures of one agent with one model. */
    public record AgentModel(String agentId, String model, Usage usage) {
    }
}
