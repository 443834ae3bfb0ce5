package io.htmlgraph.sidecar.view;

import java.time.Instant;
import java.util.List;

import io.htmlgraph.sidecar.domain.Attention;
import io.htmlgraph.sidecar.domain.Timestamps;

/** The Attention tab: agents waiting for a human (and for how long), agents failing repeatedly, idle sessions. */
final class AttentionView {
    private AttentionView() {
    }

    record Model(List<Waiting> waiting, List<Failing> failing, List<Idle> idle, boolean calm, boolean hasWaiting,
                 boolean hasFailing, boolean hasIdle) {
    }

    record Waiting(String sessionId, String agent, String subagent, Fmt.Time since, String waited, String reason,
                   Fmt.Text message) {
    }

    record Failing(String sessionId, String agent, String errors, Fmt.Time lastErrorAt, Fmt.Text lastError) {
    }

    record Idle(String sessionId, String agent, Fmt.Time lastEventAt, String idleFor) {
    }

    static Model model(Attention a, Instant now) {
        List<Waiting> waiting = a.waiting().stream().map(w -> new Waiting(w.sessionId(), w.agentId(), w.subagentId(),
                Fmt.time(w.since()), since(w.since(), now), w.reason(), Fmt.text(w.message()))).toList();
        List<Failing> failing = a.failing().stream().map(f -> new Failing(f.sessionId(), f.agentId(),
                Fmt.count(f.errors()), Fmt.time(f.lastErrorAt()), Fmt.text(f.lastError()))).toList();
        List<Idle> idle = a.idle().stream().map(i -> new Idle(i.sessionId(), i.agent(), Fmt.time(i.lastEventAt()),
                since(i.lastEventAt(), now))).toList();
        return new Model(waiting, failing, idle, waiting.isEmpty() && failing.isEmpty() && idle.isEmpty(),
                !waiting.isEmpty(), !failing.isEmpty(), !idle.isEmpty());
    }

    private static String since(String iso, Instant now) {
        return iso == null ? null
                : Fmt.duration(Math.max(0, (now.toEpochMilli() - Timestamps.parse(iso).toEpochMilli()) / 1000.0));
    }
}
