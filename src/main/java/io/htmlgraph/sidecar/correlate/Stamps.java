package io.htmlgraph.sidecar.correlate;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.SplittableRandom;

import io.htmlgraph.sidecar.domain.Timestamps;

/**
 * What every row the writer stores is stamped with: a new event id, the next change sequence number (live
 * clients' and cursors' order) and the writer's clock. One instance per writer; only the writer thread calls it.
 */
final class Stamps {
    private final Clock clock;
    private final SplittableRandom random = new SplittableRandom(new SecureRandom().nextLong());
    private long seq;

    Stamps(Clock clock, long lastSeq) {
        this.clock = clock;
        this.seq = lastSeq;
    }

    /** A new event id. */
    String newId() {
        return "evt-" + HexFormat.of().toHexDigits(random.nextLong());
    }

    /** The next change sequence number. */
    long nextSeq() {
        return ++seq;
    }

    /** The last sequence number handed out. */
    long lastSeq() {
        return seq;
    }

    /** The writer's time, formatted as stored. */
    String now() {
        return Timestamps.format(clock.instant());
    }
}
