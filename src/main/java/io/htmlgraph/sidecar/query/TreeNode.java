package io.htmlgraph.sidecar.query;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.htmlgraph.sidecar.domain.EventStatus;
import io.htmlgraph.sidecar.domain.TreeRow;
import io.htmlgraph.sidecar.domain.Usage;

/**
 * One event in a feed's tree ({@code children[]} of the grouped feed), with htmlgraph's node fields
 * ({@code event_id, tool_name, timestamp, summary, duration_seconds, agent, depth, model, children}) and ours
 * ({@code error}: a failed call's error text, present only on failures).
 */
public record TreeNode(String eventId,
                       String parentEventId,
                       String toolName,
                       String eventType,
                       String timestamp,
                       String summary,
                       String status,
                       Double durationSeconds,
                       String agent,
                       int depth,
                       String model,
                       String subagentType,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String error,
                       @JsonInclude(JsonInclude.Include.NON_EMPTY) List<TreeNode> children,
                       @JsonInclude(JsonInclude.Include.NON_NULL) Usage usage,
                       @JsonInclude(JsonInclude.Include.NON_NULL) Long apiErrors) {

    static TreeNode of(TreeRow row, List<TreeNode> children) {
        return new TreeNode(row.eventId(), row.parentEventId(), row.toolName(), row.eventType(), row.timestamp(),
                row.inputSummary(), row.status(), row.durationSeconds(), row.agentId(),
                row.depth(), row.model(), row.subagentType(),
                EventStatus.ERROR.is(row.status()) ? row.outputSummary() : null, children,
                row.usage().isEmpty() ? null : row.usage(), row.apiErrors());
    }

    /** This node's figures and those of everything below it. */
    Usage totalUsage() {
        Usage total = usage == null ? Usage.NONE : usage;
        for (TreeNode child : children) {
            total = total.plus(child.totalUsage());
        }
        return total;
    }

    /**
     * Nests descendant rows under their roots: returns, for each root id, its children as trees (oldest first).
     * Rows come from one recursive query; nothing is queried per node.
     */
    static Map<String, List<TreeNode>> assemble(List<String> rootIds, List<TreeRow> descendants) {
        Map<String, List<TreeRow>> byParent = new HashMap<>();
        for (TreeRow row : descendants) {
            byParent.computeIfAbsent(row.parentEventId(), k -> new ArrayList<>()).add(row);
        }
        Map<String, List<TreeNode>> trees = new HashMap<>();
        for (String root : rootIds) {
            trees.put(root, children(root, byParent, 0));
        }
        return trees;
    }

    private static List<TreeNode> children(String parent, Map<String, List<TreeRow>> byParent, int depth) {
        List<TreeRow> rows = byParent.get(parent);
        if (rows == null) {
            return List.of(); // a leaf, as most nodes are
        }
        List<TreeNode> nodes = new ArrayList<>(rows.size());
        for (TreeRow row : rows) {
            // The query stops at its depth limit and on cycles; the depth check keeps this walk as bounded.
            nodes.add(of(row, depth < TreeQueries.MAX_DEPTH
                    ? children(row.eventId(), byParent, depth + 1) : List.of()));
        }
        return nodes;
    }

    /** This node and all below it, depth first. */
    List<TreeNode> flatten() {
        List<TreeNode> all = new ArrayList<>();
        addTo(all);
        return all;
    }

    private void addTo(List<TreeNode> all) {
        all.add(this);
        children.forEach(child -> child.addTo(all));
    }

    /** Keeps the nodes of one agent and the nodes above them; null when nothing of that agent is below. */
    TreeNode keepAgent(String agentId) {
        List<TreeNode> kept = new ArrayList<>();
        for (TreeNode child : children) {
            TreeNode k = child.keepAgent(agentId);
            if (k != null) {
                kept.add(k);
            }
        }
        if (!agentId.equals(agent) && kept.isEmpty()) {
            return null;
        }
        return new TreeNode(eventId, parentEventId, toolName, eventType, timestamp, summary, status,
                durationSeconds, agent, depth, model, subagentType, error, kept, usage, apiErrors);
    }

    boolean isToolCall() {
        return ("tool_call".equals(eventType) || "delegation".equals(eventType)) && !"UserQuery".equals(toolName);
    }
}
