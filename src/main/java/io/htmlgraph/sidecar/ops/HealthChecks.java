package io.htmlgraph.sidecar.ops;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;

import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.webserver.observe.health.HealthObserver;
import io.htmlgraph.sidecar.correlate.EventWriter;
import io.htmlgraph.sidecar.live.LiveHub;
import io.htmlgraph.sidecar.store.Database;

/**
 * The admin socket's health, each check named with its detail ({@code /health}, {@code /health/live},
 * {@code /health/ready}). Liveness: the process serves (the answer itself). Readiness: the store answers a read,
 * the writer runs and its last commit did not fail, the database's disk has room, the live hub and every background
 * worker run.
 * <pre>
 * curl http://127.0.0.1:9464/health/ready
 * {"status":"UP","checks":[{"name":"store","status":"UP","data":{"file":"/data/htmlgraph.db"}},
 *   {"name":"writer","status":"UP","data":{"alive":true,"last_commit":"ok","queued":0}}, ...]}
 * </pre>
 */
public final class HealthChecks {
    private HealthChecks() {
    }

    /**
     * The health observer with the sidecar's checks; {@code minFreeBytes} 0 turns the disk check off. {@code workers}:
     * the background workers by name (the map is read at each check, so workers added later count).
     */
    public static HealthObserver observer(Database database, EventWriter writer, LiveHub hub, long minFreeBytes,
                                          Map<String, BooleanSupplier> workers) {
        return HealthObserver.builder()
                .details(true)
                .addCheck(() -> HealthCheckResponse.builder().status(true)
                                  .detail("uptime_seconds", ManagementFactory.getRuntimeMXBean().getUptime() / 1000)
                                  .build(), HealthCheckType.LIVENESS, "serving")
                .addCheck(() -> HealthCheckResponse.builder().status(database.isReadable())
                                  .detail("file", database.file().toAbsolutePath().normalize().toString()).build(),
                          HealthCheckType.READINESS, "store")
                .addCheck(() -> writer(writer.health()), HealthCheckType.READINESS, "writer")
                // DOWN while the store cannot write (lock held elsewhere, disk full, file deleted or replaced)
                .addCheck(() -> HealthCheckResponse.builder().status(database.health().writable())
                                  .detail("fault", Objects.toString(database.health().fault(), "none")).build(),
                          HealthCheckType.READINESS, "store-writable")
                .addCheck(() -> disk(database.file(), minFreeBytes), HealthCheckType.READINESS, "disk")
                .addCheck(() -> HealthCheckResponse.builder().status(hub.isRunning())
                                  .detail("clients", hub.connectedClients()).build(),
                          HealthCheckType.READINESS, "live-hub")
                .addCheck(() -> workers(workers), HealthCheckType.READINESS, "workers")
                .build();
    }

    /**
     * DOWN when a background worker has stopped: an error thrown out of its loop or periodic pass (out of memory)
     * ends it while the process serves on, and nothing else would tell (checkpoints, retention, metrics stop).
     */
    private static HealthCheckResponse workers(Map<String, BooleanSupplier> workers) {
        HealthCheckResponse.Builder check = HealthCheckResponse.builder().status(true);
        workers.forEach((name, running) -> {
            boolean up = running.getAsBoolean();
            check.detail(name, up ? "running" : "stopped");
            if (!up) {
                check.status(false);
            }
        });
        return check.build();
    }

    private static HealthCheckResponse writer(EventWriter.Health health) {
        // a failed commit shows here; whether the store can write now is the store-writable check's answer
        return HealthCheckResponse.builder().status(health.alive())
                .detail("alive", health.alive())
                .detail("last_commit", health.lastFailure() == null ? "ok" : "failed: " + health.lastFailure())
                .detail("queued", health.queued())
                .build();
    }

    private static HealthCheckResponse disk(Path db, long minFreeBytes) {
        try {
            Path dir = db.toAbsolutePath().normalize().getParent();
            FileStore store = Files.getFileStore(dir);
            long free = store.getUsableSpace();
            return HealthCheckResponse.builder().status(free >= minFreeBytes)
                    .detail("free_bytes", free).detail("min_free_bytes", minFreeBytes)
                    .detail("path", dir.toString()).build();
        } catch (IOException | RuntimeException e) {
            return HealthCheckResponse.builder().status(false).detail("error", String.valueOf(e.getMessage())).build();
        }
    }
}
