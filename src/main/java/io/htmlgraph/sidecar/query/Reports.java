package io.htmlgraph.sidecar.query;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.htmlgraph.sidecar.domain.Delegation;
import io.htmlgraph.sidecar.domain.EventView;
import io.htmlgraph.sidecar.domain.SessionTotals;
import io.htmlgraph.sidecar.domain.SessionView;
import io.htmlgraph.sidecar.domain.SpawnerActivity;
import io.htmlgraph.sidecar.domain.SpawnerStatistics;
import io.htmlgraph.sidecar.domain.Timestamps;
import io.htmlgraph.sidecar.domain.TreeRow;
import io.htmlgraph.sidecar.domain.Usage;

/** The report routes' answers, in htmlgraph's shapes: activity feed, orchestration, spawners, session detail. */
public final class Reports {
    /** Orchestration reports cover at most this many of the newest delegations. */
    public static final int MAX_DELEGATIONS = 1000;
    private static final int MAX_SESSION_TURNS = 500;

    private final ReportQueries queries;
    private final TreeQueries trees;
    private final Clock clock;

    public Reports(ReportQueries queries, TreeQueries trees, Clock clock) {
        this.queries = queries;
        this.trees = trees;
        this.clock = clock;
    }

    /**
     * {@code /api/complete-activity-feed}: the newest events; delegation rows are part of the event stream, so
     * {@code include_delegations=false} drops them rather than adding copies. Spikes: htmlgraph work items, none here.
     */
    public ActivityFeed activityFeed(String sessionId, boolean includeDelegations, int limit) {
        List<EventView> events = queries.activity(sessionId, includeDelegations, limit);
        long delegations = events.stream().filter(e -> "delegation".equals(e.eventType())).count();
        return new ActivityFeed(now(), events.size(),
                new Sources(events.size() - delegations, 0, delegations), events);
    }

    public record ActivityFeed(String timestamp, int totalEvents, Sources sources, List<EventView> events) {
    }

    public record Sources(long hookEvents, long spikeLogs, long delegations) {
    }

    /** {@code /api/orchestration}: who delegated to whom, each delegation once. */
    public Orchestration orchestration() {
        List<Delegation> delegations = queries.delegations(null, MAX_DELEGATIONS);
        // a hash set, sorted once at the end: a sorted set compared names at each of the 2,000 additions
        Set<String> agents = new HashSet<>();
        Map<String, List<ChainLink>> chains = new LinkedHashMap<>();
        for (Delegation d : delegations) {
            agents.add(d.fromAgent());
            agents.add(d.toAgent());
            chains.computeIfAbsent(d.fromAgent(), k -> new ArrayList<>()).add(new ChainLink(d.toAgent(), "delegation",
                    d.timestamp(), d.task(), d.status(), d.sessionId(), d.eventId()));
        }
        return new Orchestration(queries.delegationCount(), agents.size(), agents.stream().sorted().toList(), chains);
    }

    public record Orchestration(long delegationCount, int uniqueAgents, List<String> agents,
                                Map<String, List<ChainLink>> delegationChains) {
    }

    /** {@code /api/orchestration/delegations}: the same without the agent list. */
    public DelegationChains delegationChains() {
        Orchestration o = orchestration();
        return new DelegationChains(o.delegationCount(), o.uniqueAgents(), o.delegationChains());
    }

    public record DelegationChains(long delegationCount, int uniqueAgents,
                                   Map<String, List<ChainLink>> delegationChains) {
    }

    public record ChainLink(String toAgent, String eventType, String timestamp, String task, String status,
                            String sessionId, String eventId) {
    }

    public SpawnerActivities spawnerActivities(String spawnerType, String sessionId, EventQueries.Cursor before,
                                               int limit, int offset) {
        List<SpawnerActivity> page = queries.spawnerActivities(spawnerType, sessionId, before, limit, offset);
        return new SpawnerActivities(page, page.size(), queries.spawnerCount(spawnerType, sessionId), offset, limit);
    }

    public record SpawnerActivities(List<SpawnerActivity> spawnerActivities, int count, long total, int offset,
                                    int limit) {
    }

    public SpawnerStatisticsPage spawnerStatistics(String sessionId) {
        return new SpawnerStatisticsPage(queries.spawnerStatistics(sessionId));
    }

    public record SpawnerStatisticsPage(List<SpawnerStatistics> spawnerStatistics) {
    }

    /** {@code /api/sessions/{id}}: the session, its turns, counts, duration, tokens and cost when known. */
    public Optional<SessionDetail> session(String sessionId) {
        return queries.session(sessionId).map(session -> {
            Map<String, Usage> usage = queries.turnUsage(sessionId);
            List<TurnSummary> turns = trees.turns(sessionId, MAX_SESSION_TURNS).stream()
                    .map(t -> TurnSummary.of(t, usage.getOrDefault(t.eventId(), Usage.NONE))).toList();
            String end = session.endedAt() != null ? session.endedAt() : session.lastEventAt();
            return new SessionDetail(session, Timestamps.secondsBetween(session.startedAt(), end),
                    queries.sessionTotals(sessionId), turns);
        });
    }

    /** A session with its figures; {@code duration_seconds} runs from start to end (or to its last event). */
    public record SessionDetail(SessionView session, double durationSeconds, SessionTotals totals,
                                List<TurnSummary> turns) {
    }

    /**
     * A turn in a session's detail, newest first; {@code usage} sums its API requests (its subagents' included),
     * {@code api_errors} counts its failed API calls.
     */
    public record TurnSummary(String eventId, String timestamp, String prompt, String status, Double durationSeconds,
                              String lastMessage, Long totalTokens, Double costUsd, String costSource, Usage usage,
                              Long apiErrors, String featureId) {
        static TurnSummary of(TreeRow turn, Usage usage) {
            return new TurnSummary(turn.eventId(), turn.timestamp(), turn.inputSummary(), turn.status(),
                    turn.durationSeconds(), turn.outputSummary(), usage.totalTokens(), usage.costUsd(),
                    usage.costSource(), usage, turn.apiErrors(), turn.featureId());
        }
    }

    /** The current time, formatted. */
    public String now() {
        return Timestamps.format(clock.instant());
    }
}
