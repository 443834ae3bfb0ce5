package io.htmlgraph.sidecar.metrics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/** Gauge families built from one {@link Snapshot}, so that every family of a scrape shows the same refresh. */
final class Gauges {
    private final List<MetricSnapshot> families = new ArrayList<>();

    /** A gauge without labels. */
    Gauges add(String name, String help, double value) {
        families.add(GaugeSnapshot.builder().name(name).help(help)
                             .dataPoint(GaugeDataPointSnapshot.builder().value(value).build()).build());
        return this;
    }

    /** A gauge with one series per item. */
    <T> Gauges add(String name, String help, Collection<T> items, Function<T, Labels> labels,
                   ToDoubleFunction<T> value) {
        GaugeSnapshot.Builder family = GaugeSnapshot.builder().name(name).help(help);
        for (T item : items) {
            family.dataPoint(GaugeDataPointSnapshot.builder().labels(labels.apply(item))
                                     .value(value.applyAsDouble(item)).build());
        }
        families.add(family.build());
        return this;
    }

    MetricSnapshots build() {
        return new MetricSnapshots(families);
    }
}
