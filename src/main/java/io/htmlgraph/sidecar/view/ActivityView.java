package io.htmlgraph.sidecar.view;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.htmlgraph.sidecar.query.GroupedFeed;
import io.htmlgraph.sidecar.query.TreeNode;

/** The Activity tab: conversation turns, newest first, each with its tree of tool calls and subagent work. */
final class ActivityView {
    static final int PAGE = 25;
    static final int MAX = 200;

    private ActivityView() {
    }

    /** The tab: filters, turns, and "load more" while there may be more. */
    record Model(List<Option> sessions, List<Option> agents, String sessionId, String agentId, List<Turn> turns,
                 Integer more, boolean empty, Empty help) {
    }

    /** A filter choice. */
    record Option(String value, boolean selected) {
    }

    /**
     * A turn as a row: the prompt and counts; its tree loads from {@code treeUrl} when a person opens it (reading
     * and rendering every listed turn's tree made the list ten times dearer, and few are opened).
     */
    record Turn(String id, String sessionId, Fmt.Time at, Fmt.Text prompt, String status, int toolCount,
                String duration, int successes, int errors, Fmt.Text lastMessage, String treeUrl, String tokens,
                String cost) {
        /** Whether a call failed: only then is the count shown as an error. */
        public boolean failed() {
            return errors > 0;
        }

        /** Whether the turn made exactly one tool call ("1 tool call"). */
        public boolean oneCall() {
            return toolCount == 1;
        }
    }

    /** An opened turn's tree: what happened under it, to any depth. */
    record Tree(String id, List<Node> nodes) {
    }

    /**
     * A tool call, delegation or other event under a turn, with what happened under it; {@code cost}: a tool call's
     * share of the API request that asked for it, when known.
     */
    record Node(String id, String tool, String type, Fmt.Text summary, String status, String duration, String agent,
                String subagentType, Fmt.Text error, List<Node> nodes, boolean hasNodes, Fmt.Time at, String cost) {
    }

    static Model model(GroupedFeed.Page page, List<String> sessionIds, List<String> agentIds, String sessionId,
                       String agentId, int limit, Empty help) {
        List<Turn> turns = page.conversationTurns().stream().map(t -> turn(t, agentId)).toList();
        Integer more = turns.size() >= limit && limit < MAX ? Math.min(MAX, limit + PAGE) : null;
        return new Model(options(sessionIds, sessionId), options(agentIds, agentId), sessionId, agentId, turns, more,
                turns.isEmpty(), help);
    }

    /** A turn's row; its tree, when opened, is of {@code agentId}'s part when that is not null. */
    static Turn turn(GroupedFeed.Turn t, String agentId) {
        GroupedFeed.UserQuery q = t.userQuery();
        String url = "/views/turns/" + URLEncoder.encode(q.eventId(), StandardCharsets.UTF_8) + "/tree"
                + (agentId == null ? "" : "?agent_id=" + URLEncoder.encode(agentId, StandardCharsets.UTF_8));
        return new Turn(q.eventId(), q.sessionId(), Fmt.time(q.timestamp()), Fmt.text(q.prompt()), q.status(),
                t.stats().toolCount(), Fmt.duration(q.durationSeconds()), t.stats().successCount(),
                t.stats().errorCount(), Fmt.text(q.lastMessage()), url, Fmt.count(q.totalTokens()),
                Fmt.usd(q.costUsd()));
    }

    /** An opened turn's tree; {@code shares}: tool calls' shares of their requests' cost, by event id. */
    static Tree tree(GroupedFeed.Turn t, Map<String, Double> shares) {
        return new Tree(t.userQuery().eventId(), nodes(t.children(), shares));
    }

    private static List<Node> nodes(List<TreeNode> children, Map<String, Double> shares) {
        return children.stream().map(n -> {
            List<Node> below = nodes(n.children() == null ? List.of() : n.children(), shares);
            return new Node(n.eventId(), n.toolName() != null ? n.toolName() : n.eventType(), n.eventType(),
                    Fmt.text(n.summary()), n.status(), Fmt.duration(n.durationSeconds()), n.agent(),
                    n.subagentType(), Fmt.text(n.error()), below, !below.isEmpty(), Fmt.time(n.timestamp()),
                    Fmt.usd(shares.get(n.eventId())));
        }).toList();
    }

    private static List<Option> options(List<String> values, String selected) {
        List<Option> options = new ArrayList<>(values.stream()
                .map(v -> new Option(v, v.equals(selected))).toList());
        if (selected != null && !values.contains(selected)) {
            options.add(0, new Option(selected, true));
        }
        return options;
    }
}
