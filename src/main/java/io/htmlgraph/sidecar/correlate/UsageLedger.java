package io.htmlgraph.sidecar.correlate;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.htmlgraph.sidecar.domain.ActiveFeature;
import io.htmlgraph.sidecar.domain.MetricPoint;
import io.htmlgraph.sidecar.domain.PromptLink;
import io.htmlgraph.sidecar.domain.Timestamps;
import io.htmlgraph.sidecar.domain.ToolCallRequest;
import io.htmlgraph.sidecar.domain.ToolResult;
import io.htmlgraph.sidecar.domain.TranscriptOffset;
import io.htmlgraph.sidecar.domain.UsageItem;
import io.htmlgraph.sidecar.domain.UsageRecord;
import io.htmlgraph.sidecar.store.Binder;
import io.htmlgraph.sidecar.store.Params;
import io.htmlgraph.sidecar.store.Rows;

/**
 * Applies telemetry and transcript usage inside the writer's transaction, counted once: each API request is one
 * {@code api_requests} row (keyed by its request id, the better source winning), counted on exactly one
 * {@code agent_events} row — its subagent's delegation when it was a subagent's, else its turn ({@code prompt.id} =
 * {@code prompt_id}, else the session's turn open at that time). A request whose turn is not stored yet waits
 * (pending) and is attached when the turn opens. Owner rows get their sums recomputed once per commit, with a new
 * sequence number, so the live stream re-sends them. Writer thread only.
 */
final class UsageLedger {
    private static final Binder TOOL_RESULT = Binder.of("usage-tool-result-get", "session_id", "tool_use_id");
    private final Stamps stamps;
    private final Presence presence;
    private final Set<String> dirtyOwners = new LinkedHashSet<>();
    /** Turns by prompt id, as found in the store (most requests of a turn come in a row). */
    private final Map<String, DbRow> turnsByPrompt = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, DbRow> eldest) {
            return size() > 10_000;
        }
    };

    /**
     * Whether the store may hold tool results (from telemetry): until one arrives, a tool call's row skips looking
     * for its result (a query per PreToolUse that finds nothing for a sidecar fed by hooks alone).
     */
    private boolean toolResultsStored;
    /**
     * Whether the store may hold tool calls linked to their requests (from transcripts): until one is, a request's
     * figures skip recomputing its calls' shares (a statement per request that finds nothing for a sidecar fed by
     * telemetry alone).
     */
    private boolean toolCallsLinked;

    /** What the store held when the writer started: any tool result, any tool call linked to its request. */
    record Stored(boolean toolResults, boolean toolCallsLinked) {
    }

    UsageLedger(Stamps stamps, Presence presence, Stored stored) {
        this.stamps = stamps;
        this.presence = presence;
        this.toolResultsStored = stored.toolResults();
        this.toolCallsLinked = stored.toolCallsLinked();
    }

    void apply(DbExecute tx, UsageItem item) {
        switch (item) {
            case UsageRecord u -> record(tx, u);
            case ToolResult t -> toolResult(tx, t);
            case ToolCallRequest c -> toolCallRequest(tx, c);
            case PromptLink p -> promptLink(tx, p);
            case MetricPoint m -> new Params().with("series", m.series()).with("start", m.startUnixNano())
                    .with("time", m.timeUnixNano()).with("metric", m.metric()).with("temporality", m.temporality())
                    .with("session_id", m.sessionId()).with("model", m.model()).with("type", m.type())
                    .with("value", m.value()).dml(tx, "usage-metric-point");
            case TranscriptOffset o -> new Params().with("path", o.path()).with("session_id", o.sessionId())
                    .with("agent_key", o.agentKey()).with("offset", o.offset()).with("file_key", o.fileKey())
                    .with("head_hash", o.headHash()).with("now", stamps.now())
                    .dml(tx, "usage-transcript-offset");
            case ActiveFeature f -> activeFeature(tx, f);
        }
    }

    private void record(DbExecute tx, UsageRecord u) {
        Optional<Owner> owner = owner(tx, u);
        long inserted = new Params().with("request_key", u.key()).with("kind", u.error() ? "error" : "request")
                .with("source", u.source()).with("cost_source", u.costSource()).with("session_id", u.sessionId())
                .with("prompt_id", u.promptId()).with("agent_key", u.agentKey()).with("agent_id", u.agentName())
                .with("query_source", u.querySource()).with("model", u.model()).with("request_id", u.requestId())
                .with("input_tokens", u.inputTokens()).with("output_tokens", u.outputTokens())
                .with("cache_read_tokens", u.cacheReadTokens()).with("cache_creation_tokens", u.cacheCreationTokens())
                .with("cost_usd", u.costUsd()).with("duration_ms", u.durationMs()).with("error", u.errorText())
                .with("timestamp", Timestamps.format(u.at())).with("event_id", owner.map(Owner::eventId).orElse(null))
                .with("turn_id", owner.map(Owner::turnId).orElse(null))
                .with("feature_id", u.featureId() != null ? u.featureId()
                                                          : owner.map(Owner::featureId).orElse(null))
                .with("now", stamps.now()).dml(tx, "usage-insert");
        if (inserted == 1) {
            owner.ifPresent(o -> dirtyOwners.add(o.eventId()));
        } else if (!replaceIfBetter(tx, u)) {
            return;
        }
        reshare(tx, u.key());
    }

    /** A tool call linked to the request that asked for it: that request's calls share its figures anew. */
    private void toolCallRequest(DbExecute tx, ToolCallRequest c) {
        toolCallsLinked = true; // also when this transaction fails: recomputing shares that are not there is safe
        long inserted = new Params().with("session_id", c.sessionId()).with("tool_use_id", c.toolUseId())
                .with("tool_name", c.toolName()).with("request_key", c.requestKey())
                .dml(tx, "usage-tool-call-request");
        if (inserted == 1) {
            reshare(tx, c.requestKey());
        }
    }

    /** Recomputes the shares of a request's tool calls (one probe of an index when it has none). */
    private void reshare(DbExecute tx, String requestKey) {
        if (toolCallsLinked) {
            Params.of("request_key", requestKey).dml(tx, "usage-tool-call-reshare");
        }
    }

    /**
     * A request seen before: a better source (telemetry over transcript), or more tokens from the same, wins; true
     * when it did.
     */
    private boolean replaceIfBetter(DbExecute tx, UsageRecord u) {
        DbRow known = Params.of("request_key", u.key()).get(tx, "usage-get").orElseThrow();
        int oldRank = UsageRecord.rank(Rows.text(known, "source"));
        int newRank = UsageRecord.rank(u.source());
        boolean better = newRank > oldRank
                || newRank == oldRank && (u.totalTokens() > Rows.wholeOr0(known, "total")
                                          || Rows.real(known, "cost_usd") == null && u.costUsd() != null);
        if (u.error() || !better) {
            return false;
        }
        new Params().with("request_key", u.key()).with("source", u.source()).with("cost_source", u.costSource())
                .with("model", u.model()).with("input_tokens", u.inputTokens()).with("output_tokens", u.outputTokens())
                .with("cache_read_tokens", u.cacheReadTokens()).with("cache_creation_tokens", u.cacheCreationTokens())
                .with("cost_usd", u.costUsd()).with("duration_ms", u.durationMs()).with("prompt_id", u.promptId())
                .with("query_source", u.querySource()).with("now", stamps.now()).dml(tx, "usage-replace");
        String owner = Rows.text(known, "event_id");
        if (owner != null) {
            dirtyOwners.add(owner);
        }
        return true;
    }

    /**
     * The row a request is counted on: the subagent's delegation, else the turn by prompt id, else (no prompt id, or
     * a turn stored without one) the session's turn open at that time. Empty: pending until its turn opens.
     */
    private Optional<Owner> owner(DbExecute tx, UsageRecord u) {
        Optional<DbRow> turn = Optional.empty();
        if (u.promptId() != null) {
            DbRow cached = turnsByPrompt.get(u.promptId());
            turn = cached != null ? Optional.of(cached)
                    : Params.of("prompt_id", u.promptId()).get(tx, "usage-turn-by-prompt");
            turn.ifPresent(t -> turnsByPrompt.put(u.promptId(), t));
        }
        if (turn.isEmpty()) {
            turn = new Params().with("session_id", u.sessionId()).with("at", Timestamps.format(u.at()))
                    .get(tx, "usage-turn-at")
                    .filter(t -> u.promptId() == null || Rows.text(t, "prompt_id") == null);
        }
        if (turn.isEmpty()) {
            return Optional.empty();
        }
        if (!u.agentKey().isEmpty()) {
            Optional<DbRow> delegation = new Params().with("session_id", u.sessionId())
                    .with("agent_key", u.agentKey()).get(tx, "usage-delegation");
            if (delegation.isPresent()) {
                String turnId = Rows.text(turn.get(), "event_id");
                return delegation.map(d -> new Owner(Rows.text(d, "event_id"), turnId, Rows.text(d, "feature_id")));
            }
        }
        return turn.map(t -> new Owner(Rows.text(t, "event_id"), Rows.text(t, "event_id"),
                                       Rows.text(t, "feature_id")));
    }

    /** A turn was stored: requests waiting for it (by prompt id, or by session and time) are counted on it. */
    void turnOpened(DbExecute tx, String sessionId, String turnId, String promptId, String at, String featureId) {
        long attached = 0;
        if (promptId != null) {
            attached += new Params().with("event_id", turnId).with("feature_id", featureId)
                    .with("prompt_id", promptId).with("now", stamps.now()).dml(tx, "usage-attach-prompt");
        }
        attached += new Params().with("event_id", turnId).with("feature_id", featureId).with("session_id", sessionId)
                .with("at", at).with("prompt_id", promptId).with("now", stamps.now())
                .dml(tx, "usage-attach-session");
        if (attached > 0) {
            dirtyOwners.add(turnId);
        }
    }

    /** A tool call row was stored: a tool result that came first enriches it now. */
    void toolCallStored(DbExecute tx, String sessionId, String toolUseId) {
        if (toolUseId == null || !toolResultsStored) {
            return;
        }
        TOOL_RESULT.get(tx, sessionId, toolUseId)
                .ifPresent(r -> applyToolResult(tx, sessionId, toolUseId, Rows.whole(r, "success"),
                        Rows.whole(r, "duration_ms"), Rows.text(r, "error"), Rows.text(r, "timestamp")));
    }

    private void toolResult(DbExecute tx, ToolResult t) {
        toolResultsStored = true; // also when this transaction fails: looking for a result that is not there is safe
        Long success = t.success() == null ? null : t.success() ? 1L : 0L;
        String at = Timestamps.format(t.at());
        new Params().with("session_id", t.sessionId()).with("tool_use_id", t.toolUseId()).with("success", success)
                .with("duration_ms", t.durationMs()).with("error", t.error()).with("timestamp", at)
                .dml(tx, "usage-tool-result-insert");
        applyToolResult(tx, t.sessionId(), t.toolUseId(), success, t.durationMs(), t.error(), at);
    }

    private void applyToolResult(DbExecute tx, String sessionId, String toolUseId, Long success, Long durationMs,
                                 String error, String at) {
        new Params().with("session_id", sessionId).with("tool_use_id", toolUseId).with("success", success)
                .with("ended_at", at).with("duration", durationMs == null ? null : durationMs / 1000.0)
                .with("error", error).with("seq", stamps.nextSeq()).with("now", stamps.now())
                .dml(tx, "usage-tool-apply");
    }

    private void promptLink(DbExecute tx, PromptLink p) {
        String at = Timestamps.format(p.at());
        new Params().with("prompt_id", p.promptId()).with("session_id", p.sessionId()).with("at", at)
                .dml(tx, "usage-prompt-link");
        Params.of("prompt_id", p.promptId()).get(tx, "usage-turn-by-prompt").ifPresent(turn -> {
            long attached = new Params().with("event_id", Rows.text(turn, "event_id"))
                    .with("feature_id", Rows.text(turn, "feature_id")).with("prompt_id", p.promptId())
                    .with("now", stamps.now()).dml(tx, "usage-attach-prompt");
            if (attached > 0) {
                dirtyOwners.add(Rows.text(turn, "event_id"));
            }
        });
    }

    private void activeFeature(DbExecute tx, ActiveFeature f) {
        String now = stamps.now();
        WriterState.SessionState session = presence.session(tx, f.sessionId(), now, null);
        new Params().with("feature_id", f.featureId()).with("now", now).with("session_id", f.sessionId())
                .dml(tx, "usage-active-feature");
        session.feature = f.featureId();
        session.turnFeature = f.featureId();
    }

    /** Recomputes the figures of every row that gained or changed requests; called just before commit. */
    void beforeCommit(DbExecute tx) {
        for (String owner : dirtyOwners) {
            new Params().with("event_id", owner).with("seq", stamps.nextSeq()).with("now", stamps.now())
                    .dml(tx, "usage-owner-recompute");
        }
        dirtyOwners.clear();
    }

    /** The transaction failed: nothing to recompute, nothing remembered. */
    void transactionFailed() {
        dirtyOwners.clear();
        turnsByPrompt.clear();
    }

    /** The row a request is counted on, its turn, and its feature. */
    private record Owner(String eventId, String turnId, String featureId) {
    }
}
