package io.htmlgraph.sidecar.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/**
 * The sidecar's settings, read once at startup from {@code application.yaml} and validated.
 * Every key {@code htmlgraph.a.b-c} can be overridden by the environment variable {@code HTMLGRAPH_A_B_C}.
 */
public record SidecarConfig(String host,
                            int port,
                            String adminHost,
                            int adminPort,
                            Path db,
                            Optional<String> writeToken,
                            Optional<String> readToken,
                            long maxBodyBytes,
                            int payloadMaxBytes,
                            Duration idleAfter,
                            boolean metadataOnly,
                            int queryCacheEntries,
                            int readThreads,
                            int readQueue,
                            int wsBacklog,
                            int wsQueue,
                            List<String> allowedOrigins,
                            List<String> allowedHosts,
                            int maxConnections,
                            int maxConcurrentRequests,
                            Duration idleTimeout,
                            Duration readTimeout,
                            Duration headerTimeout,
                            int wsMaxClients,
                            Duration metricsRefresh,
                            int metricsTopN,
                            boolean demo,
                            Optional<Path> pricesFile,
                            List<Path> transcriptRoots,
                            Duration transcriptPoll,
                            Optional<Path> importDb,
                            boolean importFollow,
                            // operations (issue 14)
                            String logLevel,
                            String logFormat,
                            long minFreeDiskBytes,
                            Duration shutdownGrace,
                            Optional<Duration> retention,
                            Path backupDir,
                            Optional<Duration> heapReturnAfter) {

    /** The keys under {@code htmlgraph}, each settable by its environment variable. */
    static final List<String> KEYS = List.of("host", "port", "admin.host", "admin.port", "db", "write-token",
            "read-token", "max-body-bytes", "payload-max-bytes", "idle-after", "metadata-only", "query-cache-entries",
            "read-threads", "read-queue", "ws-backlog", "ws-queue", "allowed-origins", "metrics.refresh",
            "metrics.top-n", "demo", "prices-file", "transcript-roots", "transcript-poll", "import.db", "import.follow",
            // operations
            "log.level", "log.format", "min-free-disk", "shutdown-grace", "retention", "backup-dir",
            "heap-return-after",
            // hostile clients
            "allowed-hosts", "max-connections", "max-concurrent-requests", "idle-timeout", "read-timeout",
            "header-timeout", "ws-max-clients");

    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,12})(KB|MB|GB|B|)");

    /**
     * Loads the configuration: environment variables over {@code application.yaml}.
     *
     * @param demo the {@code --demo} command-line flag, which turns demo data on
     */
    public static SidecarConfig load(boolean demo) {
        Map<String, String> values = fromEnvironment(System.getenv());
        if (demo) {
            values.put("htmlgraph.demo", "true");
        }
        return from(Config.just(ConfigSources.create(values), ConfigSources.classpath("application.yaml")));
    }

    /** Loads the configuration with overrides (keys without the {@code htmlgraph.} prefix) over the defaults. */
    public static SidecarConfig withOverrides(Map<String, String> overrides) {
        Map<String, String> prefixed = new HashMap<>();
        overrides.forEach((k, v) -> prefixed.put("htmlgraph." + k, v));
        return from(Config.just(ConfigSources.create(prefixed), ConfigSources.classpath("application.yaml")));
    }

    static Map<String, String> fromEnvironment(Map<String, String> env) {
        Map<String, String> values = new HashMap<>();
        for (String key : KEYS) {
            String value = env.get(envName(key));
            if (value != null) {
                values.put("htmlgraph." + key, value);
            }
        }
        return values;
    }

    static String envName(String key) {
        return "HTMLGRAPH_" + key.replace('.', '_').replace('-', '_').toUpperCase();
    }

    static SidecarConfig from(Config root) {
        Config c = root.get("htmlgraph");
        return new SidecarConfig(
                host(c, "host"),
                port(c, "port"),
                host(c, "admin.host"),
                port(c, "admin.port"),
                Path.of(text(c, "db")),
                optionalText(c, "write-token"),
                optionalText(c, "read-token"),
                inRange(c, "max-body-bytes", 1, Integer.MAX_VALUE),
                (int) inRange(c, "payload-max-bytes", 1, 16 * 1024 * 1024),
                duration(c, "idle-after"),
                bool(c, "metadata-only"),
                (int) inRange(c, "query-cache-entries", 0, 100_000),
                (int) inRange(c, "read-threads", 0, 4),
                (int) inRange(c, "read-queue", 1, 100_000),
                (int) inRange(c, "ws-backlog", 0, 10_000),
                (int) inRange(c, "ws-queue", 10, 1_000_000),
                origins(c, "allowed-origins"),
                hostNames(c, "allowed-hosts"),
                (int) inRange(c, "max-connections", 16, 100_000),
                (int) inRange(c, "max-concurrent-requests", 1, 100_000),
                duration(c, "idle-timeout"),
                duration(c, "read-timeout"),
                duration(c, "header-timeout"),
                (int) inRange(c, "ws-max-clients", 1, 100_000),
                atLeastOneSecond(c, "metrics.refresh"),
                (int) inRange(c, "metrics.top-n", 1, 100),
                bool(c, "demo"),
                optionalText(c, "prices-file").map(Path::of),
                paths(c, "transcript-roots"),
                duration(c, "transcript-poll"),
                optionalText(c, "import.db").map(Path::of),
                bool(c, "import.follow"),
                oneOf(c, "log.level", List.of("info", "debug", "warning", "error")),
                oneOf(c, "log.format", List.of("text", "json")),
                bytes(c, "min-free-disk"),
                duration(c, "shutdown-grace"),
                unlessOff(c, "retention"),
                backupDir(c, "backup-dir"),
                unlessOff(c, "heap-return-after"));
    }

    /** A comma-separated list of folders; empty by default. */
    private static List<Path> paths(Config c, String key) {
        List<Path> paths = new ArrayList<>();
        for (String path : c.get(key).asString().orElse("").split(",")) {
            if (!path.isBlank()) {
                paths.add(Path.of(path.trim()));
            }
        }
        return List.copyOf(paths);
    }

    private static String oneOf(Config c, String key, List<String> allowed) {
        String value = text(c, key).toLowerCase();
        if (!allowed.contains(value)) {
            throw new InvalidConfigException("htmlgraph." + key, "must be one of " + String.join(", ", allowed)
                                                                + ": '" + value + "'");
        }
        return value;
    }

    /** A size such as {@code 100MB}, {@code 2GB}, {@code 512KB} or a number of bytes; {@code 0} turns a check off. */
    private static long bytes(Config c, String key) {
        String value = text(c, key);
        Matcher m = SIZE.matcher(value.toUpperCase());
        if (!m.matches()) {
            throw new InvalidConfigException("htmlgraph." + key, "not a size like 100MB, 2GB or 0: '" + value + "'");
        }
        long unit = switch (m.group(2)) {
            case "KB" -> 1L << 10;
            case "MB" -> 1L << 20;
            case "GB" -> 1L << 30;
            default -> 1;
        };
        return Long.parseLong(m.group(1)) * unit;
    }

    /** The backup directory: the database's directory's {@code backups} unless set. */
    private static Path backupDir(Config c, String key) {
        return optionalText(c, key).map(Path::of)
                .orElseGet(() -> Path.of(text(c, "db")).toAbsolutePath().getParent().resolve("backups"));
    }

    /** Whether the main socket only listens on the loopback interface. */
    public boolean loopbackOnly() {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }

    private static String text(Config c, String key) {
        String value = c.get(key).asString().orElse("").trim();
        if (value.isEmpty()) {
            throw new InvalidConfigException("htmlgraph." + key, "must not be empty");
        }
        return value;
    }

    private static Optional<String> optionalText(Config c, String key) {
        return c.get(key).asString().map(String::trim).filter(s -> !s.isEmpty());
    }

    private static String host(Config c, String key) {
        String value = text(c, key);
        if (!value.matches("[A-Za-z0-9.:\\-\\[\\]]+")) {
            throw new InvalidConfigException("htmlgraph." + key, "not a host name or address: '" + value + "'");
        }
        return value;
    }

    private static int port(Config c, String key) {
        long value = number(c, key);
        if (value < 0 || value > 65535) {
            throw new InvalidConfigException("htmlgraph." + key, "must be 0..65535 (0 = any free port), got " + value);
        }
        return (int) value;
    }

    private static long inRange(Config c, String key, long min, long max) {
        long value = number(c, key);
        if (value < min || value > max) {
            throw new InvalidConfigException("htmlgraph." + key, "must be " + min + ".." + max + ", got " + value);
        }
        return value;
    }

    private static long number(Config c, String key) {
        String value = text(c, key);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new InvalidConfigException("htmlgraph." + key, "not a whole number: '" + value + "'");
        }
    }

    /** A comma-separated list of origins such as {@code https://dash.example.com}; empty by default. */
    private static List<String> origins(Config c, String key) {
        List<String> origins = new ArrayList<>();
        for (String origin : c.get(key).asString().orElse("").split(",")) {
            String trimmed = origin.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (!trimmed.matches("https?://[A-Za-z0-9.\\-\\[\\]:]+")) {
                throw new InvalidConfigException("htmlgraph." + key, "not an origin like https://host:port: '"
                                                                    + trimmed + "'");
            }
            origins.add(trimmed);
        }
        return List.copyOf(origins);
    }

    /** A comma-separated list of host names such as {@code sidecar.internal}; {@code .example.com} for subdomains. */
    private static List<String> hostNames(Config c, String key) {
        List<String> names = new ArrayList<>();
        for (String name : c.get(key).asString().orElse("").split(",")) {
            String trimmed = name.trim().toLowerCase();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (!trimmed.matches("\\.?[a-z0-9]([a-z0-9.-]{0,252})?")) {
                throw new InvalidConfigException("htmlgraph." + key, "not a host name like sidecar.internal: '"
                                                                    + trimmed + "'");
            }
            names.add(trimmed);
        }
        return List.copyOf(names);
    }

    private static boolean bool(Config c, String key) {
        String value = text(c, key).toLowerCase();
        return switch (value) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new InvalidConfigException("htmlgraph." + key, "not a boolean: '" + value + "'");
        };
    }

    private static Duration atLeastOneSecond(Config c, String key) {
        Duration value = duration(c, key);
        if (value.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new InvalidConfigException("htmlgraph." + key, "must be at least 1s, got " + value.toMillis() + "ms");
        }
        return value;
    }

    /** A duration, or empty for {@code off}. */
    private static Optional<Duration> unlessOff(Config c, String key) {
        return c.get(key).asString().map(String::trim).filter(v -> !v.isEmpty() && !v.equals("off"))
                .map(v -> duration(c, key));
    }

    /** Parses {@code 500ms}, {@code 15s}, {@code 10m}, {@code 2h}, {@code 1d}. */
    private static Duration duration(Config c, String key) {
        String value = text(c, key);
        Matcher m = DURATION.matcher(value);
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new InvalidConfigException("htmlgraph." + key,
                    "not a positive duration like 15s, 10m or 2h: '" + value + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
