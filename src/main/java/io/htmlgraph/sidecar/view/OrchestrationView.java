package io.htmlgraph.sidecar.view;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.htmlgraph.sidecar.domain.TreeRow;
import io.htmlgraph.sidecar.query.ViewQueries;

/**
 * The Orchestration tab: the newest delegations (from → to, task, status, duration), each agent's fan-out (how many
 * agents it delegates to), the depth of the longest delegation chain, and a server-drawn SVG graph of who delegates
 * to whom (agents in columns by their depth from the agents nobody delegates to). The graph, fan-out and depth cover
 * every delegation in the store, read as one row per delegating pair.
 */
final class OrchestrationView {
    static final int RECENT = 50;
    private static final int COLUMN = 220;
    private static final int ROW = 64;
    private static final int BOX_W = 160;
    private static final int BOX_H = 36;

    private OrchestrationView() {
    }

    record Model(String delegations, int agents, int depth, List<FanOut> fanOut, List<Link> recent, Graph graph,
                 boolean empty) {
    }

    record FanOut(String agent, int targets, int delegations) {
    }

    record Link(String id, String from, String to, Fmt.Text task, String status, String duration, Fmt.Time at,
                String sessionId) {
    }

    /** The drawn graph: boxes and arrows with their coordinates. */
    record Graph(int width, int height, List<Box> boxes, List<Arrow> arrows) {
    }

    record Box(String name, int x, int y, int textX, int textY, int w, int h) {
    }

    record Arrow(int x1, int y1, int x2, int y2, int labelX, int labelY, String count, String title) {
    }

    static Model model(List<ViewQueries.Edge> pairs, List<TreeRow> recent) {
        Map<String, Map<String, Integer>> edges = new TreeMap<>();
        Set<String> agents = new TreeSet<>();
        long delegations = 0;
        for (ViewQueries.Edge e : pairs) {
            edges.computeIfAbsent(e.from(), k -> new TreeMap<>()).merge(e.to(), (int) e.delegations(), Integer::sum);
            agents.add(e.from());
            agents.add(e.to());
            delegations += e.delegations();
        }
        Map<String, Integer> level = levels(List.copyOf(agents), edges);
        int depth = level.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        List<FanOut> fanOut = edges.entrySet().stream().map(e -> new FanOut(e.getKey(), e.getValue().size(),
                e.getValue().values().stream().mapToInt(Integer::intValue).sum()))
                .sorted((a, b) -> b.targets() - a.targets()).toList();
        List<Link> links = recent.stream().map(d -> new Link(d.eventId(),
                d.spawnerType() != null ? "(spawner run)" : d.agentId(),
                d.spawnerType() != null ? d.spawnerType() : d.subagentType(), Fmt.text(d.inputSummary()),
                d.status(), Fmt.duration(d.durationSeconds()), Fmt.time(d.timestamp()), d.sessionId())).toList();
        return new Model(Fmt.count(delegations), agents.size(), depth, fanOut, links, graph(level, edges),
                links.isEmpty() && edges.isEmpty());
    }

    /**
     * Each agent's column: 0 for agents nobody delegates to, else one more than the deepest agent delegating to it
     * (longest path, each edge used once, so a cycle cannot loop).
     */
    static Map<String, Integer> levels(List<String> agents, Map<String, Map<String, Integer>> edges) {
        Map<String, Integer> level = new LinkedHashMap<>();
        agents.forEach(a -> level.put(a, 0));
        edges.keySet().forEach(a -> level.putIfAbsent(a, 0));
        edges.values().forEach(m -> m.keySet().forEach(a -> level.putIfAbsent(a, 0)));
        for (int pass = 0; pass < level.size(); pass++) { // Bellman-Ford style: at most one pass per agent
            boolean changed = false;
            for (Map.Entry<String, Map<String, Integer>> e : edges.entrySet()) {
                for (String to : e.getValue().keySet()) {
                    int candidate = level.get(e.getKey()) + 1;
                    if (!to.equals(e.getKey()) && candidate > level.get(to) && candidate < level.size()) {
                        level.put(to, candidate);
                        changed = true;
                    }
                }
            }
            if (!changed) {
                break;
            }
        }
        return level;
    }

    private static Graph graph(Map<String, Integer> level, Map<String, Map<String, Integer>> edges) {
        Map<Integer, List<String>> columns = new TreeMap<>();
        level.forEach((agent, l) -> columns.computeIfAbsent(l, k -> new ArrayList<>()).add(agent));
        Map<String, int[]> at = new LinkedHashMap<>();
        List<Box> boxes = new ArrayList<>();
        int rows = 0;
        for (Map.Entry<Integer, List<String>> column : columns.entrySet()) {
            List<String> names = column.getValue();
            rows = Math.max(rows, names.size());
            for (int i = 0; i < names.size(); i++) {
                int x = 10 + column.getKey() * COLUMN;
                int y = 10 + i * ROW;
                at.put(names.get(i), new int[] {x, y});
                boxes.add(new Box(names.get(i), x, y, x + 10, y + 23, BOX_W, BOX_H));
            }
        }
        return new Graph(20 + columns.size() * COLUMN, 20 + Math.max(1, rows) * ROW, boxes, arrows(at, edges));
    }

    private static List<Arrow> arrows(Map<String, int[]> at, Map<String, Map<String, Integer>> edges) {
        List<Arrow> arrows = new ArrayList<>();
        Set<String> drawn = new LinkedHashSet<>();
        edges.forEach((from, targets) -> targets.forEach((to, n) -> {
            int[] a = at.get(from);
            int[] b = at.get(to);
            if (a != null && b != null && !from.equals(to) && drawn.add(from + "\u0000" + to)) {
                int x1 = a[0] + BOX_W;
                int y1 = a[1] + BOX_H / 2;
                int x2 = b[0] - 4;
                int y2 = b[1] + BOX_H / 2;
                arrows.add(new Arrow(x1, y1, x2, y2, (x1 + x2) / 2, (y1 + y2) / 2 - 4, Fmt.count(n),
                        from + " → " + to + ": " + n + " delegations"));
            }
        }));
        return arrows;
    }
}
