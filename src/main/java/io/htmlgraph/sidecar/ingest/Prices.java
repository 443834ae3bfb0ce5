package io.htmlgraph.sidecar.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The price table ({@code pricing/prices.yaml}, or {@code HTMLGRAPH_PRICES_FILE}): the cost of a request from its
 * tokens, for sources that give tokens but no USD. Prices are USD per million tokens, per model family, with an
 * optional long-context tier.
 */
public final class Prices {
    private static final double MILLION = 1_000_000.0;

    private final List<Price> prices;

    private Prices(List<Price> prices) {
        this.prices = prices.stream().sorted(Comparator.comparingInt((Price p) -> p.model().length()).reversed())
                .toList();
    }

    /** The shipped table, or the file's when {@code file} is given. */
    public static Prices load(Optional<Path> file) {
        try (InputStream in = file.isPresent() ? Files.newInputStream(file.get())
                : Prices.class.getResourceAsStream("/pricing/prices.yaml")) {
            Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
            return new Prices(parse(root));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the price table " + file.orElse(null), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid price table " + file.map(Path::toString).orElse("(built in)")
                    + ": " + e.getMessage(), e);
        }
    }

    private static List<Price> parse(Object root) {
        if (!(root instanceof Map<?, ?> map) || !(map.get("models") instanceof List<?> models)) {
            throw new IllegalArgumentException("expected 'models:' with a list of prices");
        }
        List<Price> prices = new ArrayList<>();
        for (Object entry : models) {
            if (!(entry instanceof Map<?, ?> m) || !(m.get("model") instanceof String model)) {
                throw new IllegalArgumentException("every price needs 'model'");
            }
            Tier base = tier(m);
            Tier longContext = m.get("long_context") instanceof Map<?, ?> lc ? tier(lc) : null;
            long threshold = longContext == null ? Long.MAX_VALUE : ((Number) ((Map<?, ?>) m.get("long_context"))
                    .get("threshold")).longValue();
            prices.add(new Price(model.toLowerCase(Locale.ROOT), base, longContext, threshold));
        }
        return prices;
    }

    private static Tier tier(Map<?, ?> m) {
        double input = number(m, "input");
        double write5m = m.containsKey("cache_write_5m") ? number(m, "cache_write_5m") : input * 1.25;
        return new Tier(input, number(m, "output"), write5m,
                m.containsKey("cache_write_1h") ? number(m, "cache_write_1h") : input * 2,
                m.containsKey("cache_read") ? number(m, "cache_read") : input * 0.1);
    }

    private static double number(Map<?, ?> m, String key) {
        if (!(m.get(key) instanceof Number n) || n.doubleValue() < 0) {
            throw new IllegalArgumentException("'" + key + "' must be a number >= 0 in " + m);
        }
        return n.doubleValue();
    }

    /**
     * The cost in USD, or empty when the model is unknown. {@code cacheWrite1h} is the part of the cache writes
     * known to have a one-hour lifetime (the rest counts as five minutes).
     */
    public Optional<Double> cost(String model, long input, long output, long cacheRead, long cacheWrite,
                                 long cacheWrite1h) {
        if (model == null) {
            return Optional.empty();
        }
        String name = family(model);
        for (Price p : prices) {
            if (name.startsWith(p.model())) {
                boolean longContext = p.longContext() != null && input + cacheRead + cacheWrite > p.threshold();
                Tier t = longContext ? p.longContext() : p.base();
                long write1h = Math.min(cacheWrite1h, cacheWrite);
                double usd = (input * t.input() + output * t.output() + cacheRead * t.cacheRead()
                              + (cacheWrite - write1h) * t.cacheWrite5m() + write1h * t.cacheWrite1h()) / MILLION;
                return Optional.of(Math.round(usd * 1e9) / 1e9);
            }
        }
        return Optional.empty();
    }

    /** The model name without a provider prefix ({@code anthropic.}, {@code us.anthropic.}, {@code anthropic/}). */
    private static String family(String model) {
        String name = model.toLowerCase(Locale.ROOT);
        int claude = name.indexOf("claude-");
        return claude > 0 ? name.substring(claude) : name;
    }

    private record Tier(double input, double output, double cacheWrite5m, double cacheWrite1h, double cacheRead) {
    }

    private record Price(String model, Tier base, Tier longContext, long threshold) {
    }
}
