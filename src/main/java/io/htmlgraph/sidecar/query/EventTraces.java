package io.htmlgraph.sidecar.query;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.htmlgraph.sidecar.domain.Timestamps;
import io.htmlgraph.sidecar.domain.TreeRow;

/**
 * {@code GET /api/event-traces}: the newest delegations (Agent/Task calls and spawner runs), each with every event
 * under it as a flat list in time order with its depth. Two queries per page.
 */
public final class EventTraces {
    private final TreeQueries trees;
    private final Clock clock;

    public EventTraces(TreeQueries trees, Clock clock) {
        this.trees = trees;
        this.clock = clock;
    }

    public Page page(String sessionId, int limit) {
        List<TreeRow> delegations = trees.delegations(sessionId, limit);
        List<String> ids = delegations.stream().map(TreeRow::eventId).toList();
        Map<String, List<TreeNode>> children = TreeNode.assemble(ids, trees.descendants(ids));
        List<Trace> traces = new ArrayList<>(delegations.size());
        for (TreeRow d : delegations) {
            List<ChildEvent> events = new ArrayList<>();
            for (TreeNode top : children.get(d.eventId())) {
                top.flatten().forEach(n -> events.add(ChildEvent.of(n)));
            }
            traces.add(new Trace(d.eventId(), d.agentId(), d.spawnerType() != null ? d.spawnerType() : d.subagentType(),
                    d.timestamp(), d.status(), d.durationSeconds(), events, 0, List.of(), d.model(), d.sessionId(),
                    d.spawnerType(), d.inputSummary(), d.outputSummary()));
        }
        return new Page(Timestamps.format(clock.instant()), traces.size(), traces);
    }

    public record Page(String timestamp, int totalTraces, List<Trace> traces) {
    }

    /**
     * One delegation: htmlgraph's fields ({@code parent_event_id} is the delegation's own id, the parent of the
     * child events), then ours. Spikes are an htmlgraph work-item notion this store does not have: always 0.
     */
    public record Trace(String parentEventId, String agentId, String subagentType, String startedAt, String status,
                        Double durationSeconds, List<ChildEvent> childEvents, int childSpikeCount,
                        List<Object> childSpikes, String model, String sessionId, String spawnerType, String task,
                        String result) {
    }

    /** An event under a delegation. */
    public record ChildEvent(String eventId, String parentEventId, String toolName, String eventType,
                             String timestamp, String summary, String status, Double durationSeconds, String agentId,
                             int depth, String model) {
        static ChildEvent of(TreeNode n) {
            return new ChildEvent(n.eventId(), n.parentEventId(), n.toolName(), n.eventType(), n.timestamp(),
                    n.summary(), n.status(), n.durationSeconds(), n.agent(), n.depth(), n.model());
        }
    }
}
