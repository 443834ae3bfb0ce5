package io.htmlgraph.sidecar.metrics;

import java.util.Collection;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

/** A labelled gauge family whose series are replaced as a whole at each snapshot (labels that vanish go too). */
final class Families {
    private Families() {
    }

    static MultiGauge gauge(MeterRegistry registry, String name, String help, String baseUnit) {
        return MultiGauge.builder(name).description(help).baseUnit(baseUnit).register(registry);
    }

    static <T> void set(MultiGauge family, Collection<T> items, Function<T, Tags> labels, ToDoubleFunction<T> value) {
        family.register(items.stream()
                                .map(item -> MultiGauge.Row.of(labels.apply(item), value.applyAsDouble(item)))
                                .toList(),
                        true);
    }
}
