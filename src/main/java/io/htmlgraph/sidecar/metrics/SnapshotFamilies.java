package io.htmlgraph.sidecar.metrics;

import java.util.function.Supplier;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/** A group of gauge families built at each scrape from the latest {@link Snapshot}; none before the first one. */
abstract class SnapshotFamilies implements MultiCollector {
    private final Supplier<Snapshot> latest;

    SnapshotFamilies(Supplier<Snapshot> latest) {
        this.latest = latest;
    }

    @Override
    public final MetricSnapshots collect() {
        Snapshot snapshot = latest.get();
        return snapshot == null ? new MetricSnapshots() : families(snapshot, new Gauges()).build();
    }

    /** Adds this group's families for {@code s} to {@code gauges}. */
    abstract Gauges families(Snapshot s, Gauges gauges);
}
