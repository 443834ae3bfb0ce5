package io.htmlgraph.sidecar.query;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.helidon.dbclient.DbRow;
import io.htmlgraph.sidecar.store.Database;
import io.htmlgraph.sidecar.store.Params;
import io.htmlgraph.sidecar.store.Rows;
import io.htmlgraph.sidecar.store.Reads;
import io.htmlgraph.sidecar.domain.Change;

/** Reads the live stream by sequence number: what changed after a point, or the latest entries. */
public final class ChangeQueries {
    private final Reads db;

    public ChangeQueries(Database database) {
        this.db = database.reads();
    }

    /** The highest sequence number in the store. */
    public long latestSequence() {
        return db.execute().namedGet("max-seq").map(r -> Rows.wholeOr0(r, "seq")).orElse(0L);
    }

    /**
     * The first entries with {@code after < sequence <= upto}, in order and without gaps: when a kind fills its
     * {@code limit}, the answer stops at that kind's last entry (ask again from there for the rest).
     */
    public List<Change> after(long after, long upto, int limit) {
        Params params = new Params().with("after", after).with("upto", upto).with("limit", limit);
        List<Change> changes = merged(params, "changed-events", "changed-spawner-events");
        long complete = upto;
        for (boolean spawner : new boolean[] {false, true}) {
            List<Change> kind = changes.stream().filter(c -> (c.spawner() != null) == spawner).toList();
            if (kind.size() >= limit) {
                complete = Math.min(complete, kind.get(kind.size() - 1).sequence());
            }
        }
        long last = complete;
        return changes.stream().filter(c -> c.sequence() <= last).toList();
    }

    /** How many entries {@link #after} would find without a limit. */
    public long countAfter(long after, long upto) {
        return new Params().with("after", after).with("upto", upto).get(db.execute(), "changes-count")
                .map(r -> Rows.wholeOr0(r, "n")).orElse(0L);
    }

    /** The newest {@code limit} entries with {@code sequence <= upto}, in order. */
    public List<Change> latest(long upto, int limit) {
        List<Change> both = merged(new Params().with("upto", upto).with("limit", limit),
                                   "latest-events", "latest-spawner-events");
        return both.subList(Math.max(0, both.size() - limit), both.size());
    }

    private List<Change> merged(Params params, String events, String spawnerEvents) {
        List<Change> changes = new ArrayList<>();
        params.list(db, events, EventQueries.reader()).forEach(e -> changes.add(new Change(e.sequence(), e, null)));
        try (Stream<DbRow> rows = params.query(db.execute(), spawnerEvents)) {
            rows.forEach(r -> changes.add(new Change(Rows.wholeOr0(r, "seq"), null, new Change.SpawnerMessage(
                    Rows.wholeOr0(r, "live_event_id"), Rows.text(r, "event_type"), Rows.text(r, "spawner_type"),
                    Rows.text(r, "parent_event_id"), Rows.text(r, "session_id"), Rows.text(r, "timestamp"),
                    Rows.text(r, "data"), Rows.text(r, "run_event_id")))));
        }
        changes.sort(Comparator.comparingLong(Change::sequence));
        return changes;
    }
}
