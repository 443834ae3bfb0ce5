package io.htmlgraph.sidecar.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.htmlgraph.sidecar.domain.SpawnerStatistics;
import io.htmlgraph.sidecar.domain.Timestamps;
import io.htmlgraph.sidecar.query.MetricsQueries;
import io.htmlgraph.sidecar.query.ReportQueries;

/**
 * Reads the store into a {@link Snapshot}. Agents, models, spawner types and tools beyond the {@code top} largest fold
 * into {@code other}.
 */
final class SnapshotReader {
    static final String OTHER = "other";

    private final MetricsQueries queries;
    private final ReportQueries reports;
    private final Clock clock;
    private final Duration idleAfter;
    private final int top;

    SnapshotReader(MetricsQueries queries, ReportQueries reports, Clock clock, Duration idleAfter, int top) {
        this.queries = queries;
        this.reports = reports;
        this.clock = clock;
        this.idleAfter = idleAfter;
        this.top = top;
    }

    Snapshot read() {
        Instant activeSince = clock.instant().minus(idleAfter);
        Map<String, AgentTotals> agents = new HashMap<>();
        Map<String, Long> eventsByType = new TreeMap<>();
        for (MetricsQueries.EventCount c : queries.eventCounts()) {
            agents.computeIfAbsent(c.agent(), AgentTotals::new).seen(c.count(), 0, c.lastAt());
            eventsByType.merge(c.type(), c.count(), Long::sum);
        }
        List<MetricsQueries.Presence> presence = queries.presence();
        presence.forEach(p -> agents.computeIfAbsent(p.agent(), AgentTotals::new).seen(0, p.sessions(), p.lastAt()));
        queries.errors().forEach((agent, n) -> agents.computeIfAbsent(agent, AgentTotals::new).errors += n);
        queries.prunedErrors().forEach((agent, n) -> agents.computeIfAbsent(agent, AgentTotals::new).errors += n);
        List<Snapshot.Model> models = usage(agents);
        Set<String> known = presence.stream().map(MetricsQueries.Presence::agent).collect(Collectors.toSet());
        long active = known.stream().map(agents::get).filter(a -> a.activeSince(activeSince)).count();
        long allEvents = agents.values().stream().mapToLong(a -> a.events).sum();
        List<Snapshot.Spawner> spawners = withPruned(reports.spawnerStatistics(null).stream()
                .map(SnapshotReader::spawner).toList());
        return new Snapshot(known.size(), active, queries.waitingAgents(),
                fold(agents.values().stream().map(a -> a.row(allEvents)).toList(), Snapshot.Agent::events,
                     Snapshot.Agent::name, new Snapshot.Agent(OTHER, 0, 0, 0, null, Snapshot.Tokens.NONE, 0, 0),
                     SnapshotReader::sum),
                fold(spawners, Snapshot.Spawner::delegations, Snapshot.Spawner::type,
                     new Snapshot.Spawner(OTHER, 0, 0, 0, 0, 0, 0), SnapshotReader::sum),
                fold(models, m -> m.tokens().total(), Snapshot.Model::name,
                     new Snapshot.Model(OTHER, Snapshot.Tokens.NONE, 0), SnapshotReader::sum),
                fold(queries.tools().stream().map(t -> new Snapshot.Tool(t.tool(), t.calls(), t.tokens(), t.costUsd()))
                             .toList(), Snapshot.Tool::calls, Snapshot.Tool::name, new Snapshot.Tool(OTHER, 0, 0, 0),
                     (a, b) -> new Snapshot.Tool(OTHER, a.calls() + b.calls(), a.tokens() + b.tokens(),
                                                 a.costUsd() + b.costUsd())),
                queries.sessions(Timestamps.format(activeSince)), queries.features(), eventsByType, queries.turns());
    }

    /** Adds tokens and cost to each agent; returns them per model. */
    private List<Snapshot.Model> usage(Map<String, AgentTotals> agents) {
        Map<String, Snapshot.Model> models = new HashMap<>();
        for (MetricsQueries.Usage u : concat(queries.usage(), queries.prunedUsage())) {
            Snapshot.Tokens tokens = new Snapshot.Tokens(u.input(), u.output(), u.cacheRead(), u.cacheCreation(),
                                                         u.unspecified());
            agents.computeIfAbsent(u.agent(), AgentTotals::new).used(tokens, u.costUsd());
            models.merge(u.model(), new Snapshot.Model(u.model(), tokens, u.costUsd()), SnapshotReader::sum);
        }
        return List.copyOf(models.values());
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** The spawner figures with those of runs retention pruned (from the daily roll-ups) added. */
    private List<Snapshot.Spawner> withPruned(List<Snapshot.Spawner> stored) {
        Map<String, Snapshot.Spawner> byType = new TreeMap<>();
        stored.forEach(s -> byType.put(s.type(), s));
        for (MetricsQueries.PrunedSpawner p : queries.prunedSpawners()) {
            Snapshot.Spawner pruned = new Snapshot.Spawner(p.type(), p.runs(), p.successes(),
                    p.successes() + p.failures(), p.seconds(), p.tokens(), p.costUsd());
            byType.merge(p.type(), pruned, (a, b) -> new Snapshot.Spawner(a.type(), a.delegations() + b.delegations(),
                    a.successes() + b.successes(), a.finished() + b.finished(),
                    a.durationSeconds() + b.durationSeconds(), a.tokens() + b.tokens(), a.costUsd() + b.costUsd()));
        }
        return List.copyOf(byType.values());
    }

    /** The {@code top} largest items by {@code size} (ties by name), then one {@code other} holding the rest. */
    private <T> List<T> fold(List<T> items, Function<T, Long> size, Function<T, String> name, T other,
                             BinaryOperator<T> merge) {
        List<T> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.comparing(size).reversed().thenComparing(name));
        List<T> kept = new ArrayList<>();
        T rest = other;
        for (T item : sorted) {
            if (kept.size() < top && !OTHER.equals(name.apply(item))) {
                kept.add(item);
            } else {
                rest = merge.apply(rest, item);
            }
        }
        if (rest != other) {
            kept.add(rest);
        }
        return kept;
    }

    private static Snapshot.Spawner spawner(SpawnerStatistics s) {
        long finished = s.successful() + s.failed();
        return new Snapshot.Spawner(s.spawnerType(), s.totalDelegations(), s.successful(), finished,
                                    s.avgDuration() == null ? 0 : s.avgDuration() * finished, s.totalTokens(),
                                    s.totalCost());
    }

    private static Snapshot.Agent sum(Snapshot.Agent a, Snapshot.Agent b) {
        Instant last = a.lastActive() == null || b.lastActive() != null && b.lastActive().isAfter(a.lastActive())
                ? b.lastActive() : a.lastActive();
        return new Snapshot.Agent(OTHER, a.events() + b.events(), a.errors() + b.errors(),
                a.sessions() + b.sessions(), last,
                a.tokens().plus(b.tokens()), a.costUsd() + b.costUsd(), a.workloadRatio() + b.workloadRatio());
    }

    private static Snapshot.Spawner sum(Snapshot.Spawner a, Snapshot.Spawner b) {
        return new Snapshot.Spawner(OTHER, a.delegations() + b.delegations(), a.successes() + b.successes(),
                                    a.finished() + b.finished(), a.durationSeconds() + b.durationSeconds(),
                                    a.tokens() + b.tokens(), a.costUsd() + b.costUsd());
    }

    private static Snapshot.Model sum(Snapshot.Model a, Snapshot.Model b) {
        String name = a.name().equals(b.name()) ? a.name() : OTHER;
        return new Snapshot.Model(name, a.tokens().plus(b.tokens()), a.costUsd() + b.costUsd());
    }

    private static String later(String a, String b) {
        return a == null || b != null && b.compareTo(a) > 0 ? b : a;
    }

    /** One agent's figures while they are gathered from the queries. */
    private static final class AgentTotals {
        private final String name;
        private long events;
        private long errors;
        private long sessions;
        private String lastAt;
        private Snapshot.Tokens tokens = Snapshot.Tokens.NONE;
        private double costUsd;

        AgentTotals(String name) {
            this.name = name;
        }

        void seen(long moreEvents, long moreSessions, String at) {
            events += moreEvents;
            sessions += moreSessions;
            lastAt = later(lastAt, at);
        }

        boolean activeSince(Instant since) {
            return lastAt != null && !Timestamps.parse(lastAt).isBefore(since);
        }

        void used(Snapshot.Tokens more, double cost) {
            tokens = tokens.plus(more);
            costUsd += cost;
        }

        Snapshot.Agent row(long allEvents) {
            return new Snapshot.Agent(name, events, errors, sessions,
                                      lastAt == null ? null : Timestamps.parse(lastAt), tokens, costUsd,
                                      allEvents == 0 ? 0 : (double) events / allEvents);
        }
    }
}
