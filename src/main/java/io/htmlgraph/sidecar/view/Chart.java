package io.htmlgraph.sidecar.view;

import java.util.ArrayList;
import java.util.List;

/**
 * A bar chart drawn as SVG on the server (no chart library, nothing for the browser to run): bars scaled to the
 * largest value, each with a tooltip, and a text summary for screen readers.
 */
record Chart(String title, String summary, int width, int height, List<Bar> bars, List<Tick> ticks, String max,
             boolean empty) {
    private static final int WIDTH = 480;
    private static final int HEIGHT = 150;
    private static final int TOP = 14;
    private static final int BOTTOM = 18;

    /** One bar: its rectangle and its tooltip. */
    record Bar(int x, int y, int w, int h, String tip) {
    }

    /** A label under the axis. */
    record Tick(int x, int y, String label) {
    }

    /**
     * @param labels   one per value (the tooltip's name)
     * @param tickEvery label every n-th bar under the axis (0: none)
     */
    static Chart of(String title, List<String> labels, List<Double> values, java.util.function.DoubleFunction<String>
            format, int tickEvery) {
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        int slot = WIDTH / Math.max(1, values.size());
        int gap = slot > 40 ? 16 : slot > 10 ? 3 : 1;
        int barWidth = Math.max(1, Math.min(120, slot - gap));
        int plot = HEIGHT - TOP - BOTTOM;
        List<Bar> bars = new ArrayList<>();
        List<Tick> ticks = new ArrayList<>();
        double total = 0;
        for (int i = 0; i < values.size(); i++) {
            double v = values.get(i);
            total += v;
            int h = max == 0 ? 0 : (int) Math.round(plot * v / max);
            int x = i * slot;
            bars.add(new Bar(x, TOP + plot - Math.max(h, v > 0 ? 1 : 0), barWidth, Math.max(h, v > 0 ? 1 : 0),
                    labels.get(i) + ": " + format.apply(v)));
            if (tickEvery > 0 && i % tickEvery == 0) {
                ticks.add(new Tick(x, HEIGHT - 4, labels.get(i)));
            }
        }
        int width = WIDTH;
        String summary = title + ": " + values.size() + " bars, total " + format.apply(total) + ", largest "
                         + format.apply(max);
        return new Chart(title, summary, width, HEIGHT, bars, ticks, format.apply(max), total == 0);
    }
}
