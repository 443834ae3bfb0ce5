package io.htmlgraph.sidecar.query;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import io.helidon.dbclient.DbRow;
import io.htmlgraph.sidecar.store.Database;
import io.htmlgraph.sidecar.store.Params;
import io.htmlgraph.sidecar.store.Rows;
import io.htmlgraph.sidecar.store.Reads;
import io.htmlgraph.sidecar.domain.Feature;
import io.htmlgraph.sidecar.domain.Usage;

/** Features (kanban cards) as the API and the dashboard read them; the writer applies changes (Correlator). */
public final class FeatureQueries {
    private final Reads db;
    private final UsageQueries usage;

    public FeatureQueries(Database database) {
        this.db = database.reads();
        this.usage = new UsageQueries(database);
    }

    /** By priority (critical first), then newest; {@code status} filters when not null. */
    public List<Feature> features(String status, int limit, int offset) {
        try (Stream<DbRow> rows = new Params().with("status", status).with("limit", limit).with("offset", offset)
                .query(db.execute(), "features-page")) {
            List<Feature> page = rows.map(FeatureQueries::feature).toList();
            Map<String, Usage> figures = usage.features(page.stream().map(Feature::id).toList());
            return page.stream().map(f -> f.withUsage(figures.get(f.id()))).toList();
        }
    }

    public Optional<Feature> feature(String id) {
        return Params.of("id", id).get(db.execute(), "feature-get").map(FeatureQueries::feature)
                .map(f -> f.withUsage(usage.features(List.of(id)).get(id)));
    }

    private static Feature feature(DbRow r) {
        return new Feature(Rows.text(r, "id"), Rows.text(r, "type"), Rows.text(r, "title"),
                Rows.text(r, "description"), Rows.text(r, "status"), Rows.text(r, "priority"),
                Rows.text(r, "assigned_to"), Rows.text(r, "track_id"), Rows.text(r, "created_at"),
                Rows.text(r, "updated_at"), Rows.text(r, "completed_at"), Usage.NONE);
    }
}
