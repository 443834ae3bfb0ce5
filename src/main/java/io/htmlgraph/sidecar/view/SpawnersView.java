package io.htmlgraph.sidecar.view;

import java.util.List;

import io.htmlgraph.sidecar.domain.SpawnerActivity;
import io.htmlgraph.sidecar.domain.SpawnerStatistics;
import io.htmlgraph.sidecar.query.ViewQueries;

/** The Spawners tab: per spawner type runs, success rate, duration, tokens and cost; recent runs; running spawns. */
final class SpawnersView {
    static final int RECENT = 20;

    private SpawnersView() {
    }

    record Model(List<Type> types, List<Run> recent, List<Running> running, boolean empty, boolean hasRunning) {
    }

    record Type(String name, String runs, String successes, String failures, String successRate, String avgDuration,
                String tokens, String cost, Fmt.Time lastUsed) {
    }

    record Run(String id, String type, String orchestrator, Fmt.Text task, Fmt.Text result, String status,
               String duration, String tokens, String cost, Fmt.Time at) {
    }

    record Running(String id, String type, String sessionId, Fmt.Time started, Fmt.Text task, String phase,
                   String progress) {
    }

    static Model model(List<SpawnerStatistics> stats, List<SpawnerActivity> recent,
                       List<ViewQueries.RunningSpawn> running) {
        List<Type> types = stats.stream().map(s -> new Type(s.spawnerType(), Fmt.count(s.totalDelegations()),
                Fmt.count(s.successful()), Fmt.count(s.failed()), s.successRate() + " %",
                Fmt.duration(s.avgDuration()), s.totalTokens() == 0 ? null : Fmt.count(s.totalTokens()),
                s.totalCost() == 0 ? null : Fmt.usd(s.totalCost()), Fmt.time(s.lastUsed()))).toList();
        List<Run> runs = recent.stream().map(a -> new Run(a.eventId(), a.spawnerType(), a.orchestratorAgent(),
                Fmt.text(a.task()), Fmt.text(a.result()), a.status(), Fmt.duration(a.duration()),
                Fmt.count(a.tokens()), Fmt.usd(a.costUsd()), Fmt.time(a.timestamp()))).toList();
        List<Running> live = running.stream().map(r -> new Running(r.eventId(), r.spawnerType(), r.sessionId(),
                Fmt.time(r.startedAt()), Fmt.text(r.task()), r.phase() == null ? "started" : r.phase(),
                r.progress() == null ? null : Math.round(r.progress()) + " %")).toList();
        return new Model(types, runs, live, types.isEmpty(), !live.isEmpty());
    }
}
