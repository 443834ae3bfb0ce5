package io.htmlgraph.sidecar.view;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.htmlgraph.sidecar.domain.Feature;
import io.htmlgraph.sidecar.domain.FeatureStatus;

/**
 * The Features tab: a kanban of To Do, In Progress, Blocked and Done, each column with its count and its cards by
 * priority (critical first). Each card carries buttons to move it one column left or right (the keyboard's way;
 * the mouse can drag), which the page's script sends as {@code PATCH /api/features/{id}}.
 */
final class FeaturesView {
    static final int PER_COLUMN = 100;
    static final List<String[]> COLUMNS = List.of(new String[] {FeatureStatus.TODO.value(), "To Do"},
            new String[] {FeatureStatus.IN_PROGRESS.value(), "In Progress"},
            new String[] {FeatureStatus.BLOCKED.value(), "Blocked"}, new String[] {FeatureStatus.DONE.value(), "Done"});

    private FeaturesView() {
    }

    record Model(List<Column> columns, List<String> priorities, List<String> types) {
    }

    record Column(String status, String label, String count, List<Card> cards, boolean empty) {
    }

    record Card(String id, Fmt.Text title, Fmt.Text description, String type, String priority, String assignedTo,
                Fmt.Time updated, Move left, Move right) {
    }

    /** A move to a neighbouring column. */
    record Move(String status, String label) {
    }

    static Model model(Map<String, Long> counts, Function<String, List<Feature>> cardsOf) {
        List<Column> columns = new ArrayList<>();
        for (int i = 0; i < COLUMNS.size(); i++) {
            String status = COLUMNS.get(i)[0];
            Move left = i > 0 ? new Move(COLUMNS.get(i - 1)[0], COLUMNS.get(i - 1)[1]) : null;
            Move right = i < COLUMNS.size() - 1 ? new Move(COLUMNS.get(i + 1)[0], COLUMNS.get(i + 1)[1]) : null;
            List<Card> cards = cardsOf.apply(status).stream().map(f -> new Card(f.id(), Fmt.text(f.title()),
                    Fmt.text(f.description()), f.type(), f.priority(), f.assignedTo(), Fmt.time(f.updatedAt()), left,
                    right)).toList();
            columns.add(new Column(status, COLUMNS.get(i)[1], Fmt.count(counts.getOrDefault(status, 0L)), cards,
                    cards.isEmpty()));
        }
        return new Model(columns, List.of("medium", "high", "critical", "low"),
                List.of("feature", "bug", "spike", "chore", "epic", "task"));
    }
}
