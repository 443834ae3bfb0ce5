package io.htmlgraph.sidecar.query;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.htmlgraph.sidecar.domain.EventStatus;
import io.htmlgraph.sidecar.domain.Timestamps;
import io.htmlgraph.sidecar.domain.TreeRow;
import io.htmlgraph.sidecar.domain.Usage;

/**
 * {@code GET /api/events-grouped-by-prompt}: the newest conversation turns, each with the tree of what happened
 * under it (tool calls, delegations and their subagents' work, to any depth) and its stats. Two queries per page.
 */
public final class GroupedFeed {
    private final TreeQueries trees;
    private final Clock clock;

    public GroupedFeed(TreeQueries trees, Clock clock) {
        this.trees = trees;
        this.clock = clock;
    }

    /** Turns newest first; {@code sessionId} and {@code agentId} filter when not null. */
    public Page page(String sessionId, String agentId, int limit) {
        List<TreeRow> turns = agentId == null ? trees.turns(sessionId, limit)
                : trees.turnsOfAgent(agentId, sessionId, limit);
        List<String> ids = turns.stream().map(TreeRow::eventId).toList();
        Map<String, List<TreeNode>> children = TreeNode.assemble(ids, trees.descendants(ids));
        List<Turn> result = new ArrayList<>(turns.size());
        for (TreeRow turn : turns) {
            TreeNode root = TreeNode.of(turn, children.get(turn.eventId()));
            if (agentId != null) {
                root = root.keepAgent(agentId);
                if (root == null) {
                    continue;
                }
            }
            result.add(turn(turn, root));
        }
        return new Page(Timestamps.format(clock.instant()), result.size(), result);
    }

    /**
     * Turns newest first with their counts, tokens and cost but no trees ({@code children} empty): the dashboard's
     * list, which loads a turn's tree when a person opens it. Three queries per page (turns, one walk of counts);
     * with {@code agentId} the counts are those of the agent's part of each tree, so the trees are read as
     * {@link #page} does.
     */
    public Page headers(String sessionId, String agentId, int limit) {
        if (agentId != null) {
            Page page = page(sessionId, agentId, limit);
            return new Page(page.timestamp(), page.totalTurns(), page.conversationTurns().stream()
                    .map(t -> new Turn(t.userQuery(), List.of(), t.stats())).toList());
        }
        List<Turn> result = headers(trees.turns(sessionId, limit));
        return new Page(Timestamps.format(clock.instant()), result.size(), result);
    }

    /** One turn as {@link #headers(String, String, int)} lists it; empty when nothing of the agent is in it. */
    public Optional<Turn> header(TreeRow turn, String agentId) {
        return agentId == null ? Optional.of(headers(List.of(turn)).get(0))
                : turn(turn, agentId).map(t -> new Turn(t.userQuery(), List.of(), t.stats()));
    }

    private List<Turn> headers(List<TreeRow> turns) {
        Map<String, TreeQueries.Counts> counts = trees.counts(turns.stream().map(TreeRow::eventId).toList());
        List<Turn> result = new ArrayList<>(turns.size());
        for (TreeRow turn : turns) {
            TreeQueries.Counts c = counts.getOrDefault(turn.eventId(), TreeQueries.Counts.NONE);
            Usage usage = turn.usage().plus(c.usage());
            result.add(new Turn(userQuery(turn, usage), List.of(), new Stats(c.toolCount(), c.totalDuration(),
                    c.successes(), c.errors(), usage.totalTokens(), usage.costUsd(), usage.costSource())));
        }
        return result;
    }

    /** One turn with its tree, of one agent's part when {@code agentId} is not null; empty when nothing is left. */
    public Optional<Turn> turn(TreeRow turn, String agentId) {
        Turn whole = turn(turn);
        if (agentId == null) {
            return Optional.of(whole);
        }
        TreeNode root = TreeNode.of(turn, whole.children()).keepAgent(agentId);
        return Optional.ofNullable(root).map(r -> turn(turn, r));
    }

    /** One turn with its tree (the dashboard refreshes a turn in place when its events change). */
    public Turn turn(TreeRow turn) {
        Map<String, List<TreeNode>> children = TreeNode.assemble(List.of(turn.eventId()),
                trees.descendants(List.of(turn.eventId())));
        return turn(turn, TreeNode.of(turn, children.get(turn.eventId())));
    }

    /** A turn's answer from its row and tree; its tokens and cost are those of the whole tree. */
    private static Turn turn(TreeRow turn, TreeNode root) {
        Usage usage = root.totalUsage();
        return new Turn(userQuery(turn, usage), root.children(), Stats.of(root.children(), usage));
    }

    private static UserQuery userQuery(TreeRow turn, Usage usage) {
        return new UserQuery(turn.eventId(), turn.timestamp(), turn.inputSummary(), turn.durationSeconds(),
                turn.status(), turn.sessionId(), turn.outputSummary(), usage.totalTokens(), usage.costUsd(),
                usage.costSource(), usage, turn.apiErrors(), turn.featureId());
    }

    /** The answer: htmlgraph's fields. */
    public record Page(String timestamp, int totalTurns, List<Turn> conversationTurns) {
    }

    /** A turn: its prompt, the tree under it, and counts. */
    public record Turn(@JsonProperty("userQuery") UserQuery userQuery, List<TreeNode> children, Stats stats) {
    }

    /**
     * The prompt that opened a turn; the duration is prompt to Stop, null while the turn is open. Tokens and cost
     * are the whole turn's: its API requests, its subagents' and the spawner runs under it ({@code usage} by kind,
     * {@code cost_source} where the USD comes from); {@code api_errors} counts its failed API calls.
     */
    public record UserQuery(String eventId, String timestamp, String prompt, Double durationSeconds, String status,
                            String sessionId, String lastMessage, Long totalTokens, Double costUsd,
                            String costSource, Usage usage, Long apiErrors, String featureId) {
    }

    /**
     * Counts over every tool call and delegation in the tree; {@code total_duration} adds the top-level ones only,
     * since a delegation's time already holds its subagent's.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Stats(int toolCount, double totalDuration, int successCount, int errorCount, Long totalTokens,
                        Double costUsd, String costSource) {
        static Stats of(List<TreeNode> children, Usage usage) {
            Calls calls = new Calls();
            double duration = 0;
            for (TreeNode top : children) {
                if (top.isToolCall() && top.durationSeconds() != null) {
                    duration += top.durationSeconds();
                }
                calls.count(top);
            }
            return new Stats(calls.tools, Math.round(duration * 1000) / 1000.0, calls.successes, calls.errors,
                             usage.totalTokens(), usage.costUsd(), usage.costSource());
        }
    }

    /** Tool calls and delegations in a tree, walked in place (no list of its nodes made). */
    private static final class Calls {
        private int tools;
        private int successes;
        private int errors;

        void count(TreeNode node) {
            if (node.isToolCall()) {
                tools++;
                successes += EventStatus.succeeded(node.status()) ? 1 : 0;
                errors += EventStatus.ERROR.is(node.status()) ? 1 : 0;
            }
            node.children().forEach(this::count);
        }
    }
}
