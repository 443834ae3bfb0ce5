package io.htmlgraph.sidecar.correlate;

import java.time.Clock;
import java.time.Instant;

import io.htmlgraph.sidecar.domain.Timestamps;
import io.htmlgraph.sidecar.store.Database;
import io.htmlgraph.sidecar.store.Params;

/**
 * Background upkeep through the single writer, each call one short transaction between the requests' commits:
 * ending interrupted turns, and retention (roll up, then delete, a batch of old events; return freed pages).
 */
public final class Upkeep {
    private final Database database;
    private final EventWriter writer;
    private final Clock clock;

    public Upkeep(Database database, EventWriter writer, Clock clock) {
        this.database = database;
        this.writer = writer;
        this.clock = clock;
    }

    /** Ends, as interrupted, open turns of sessions quiet since {@code idleBefore}; returns how many (one batch). */
    public int interruptIdleTurns(Instant idleBefore) {
        String before = Timestamps.format(idleBefore);
        return writer.maintenance(m -> Turns.interruptIdle(m.tx(), before, m::nextSeq, m.now()));
    }

    /**
     * Rolls the oldest {@code limit} events before {@code cutoff} into the daily roll-ups and deletes them (their
     * spawner events go with them); returns how many were deleted (fewer than {@code limit}: nothing older is left).
     */
    public long pruneBatch(Instant cutoff, int limit) {
        String before = Timestamps.format(cutoff);
        return writer.maintenance(m -> {
            Params.of("pruning", 1).dml(m.tx(), "ops-prune-mark");
            Params.of("cutoff", before).with("limit", limit).dml(m.tx(), "ops-prune-rollup");
            // the API requests counted on the rows about to go: their figures are in the roll-ups now
            Params.of("cutoff", before).with("limit", limit).dml(m.tx(), "ops-prune-usage");
            long deleted = Params.of("cutoff", before).with("limit", limit).dml(m.tx(), "ops-prune-delete");
            if (deleted < limit) {
                Params.of("cutoff", before).dml(m.tx(), "ops-prune-collaborations");
                Params.of("cutoff", before).dml(m.tx(), "ops-prune-done");
            }
            Params.of("pruning", 0).dml(m.tx(), "ops-prune-mark");
            return deleted;
        });
    }

    /** Returns up to {@code pages} free pages to the file system (incremental vacuum); returns how many remain. */
    public long vacuumStep(int pages) {
        return writer.alone(() -> {
            // on the writer thread, so nothing else writes meanwhile; on a connection of its own, since the
            // pragma answers with or without rows, which the statement API of the pool cannot take both of
            return database.incrementalVacuum(pages);
        });
    }

    /** The clock upkeep reads (tests move it). */
    public Instant now() {
        return clock.instant();
    }
}
