package io.htmlgraph.sidecar.correlate;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
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
    private long lastId;
    /** The millisecond {@link #now} formatted last, and its text. */
    private long nowMillis;
    private String now;

    Stamps(Clock clock, long lastSeq) {
        this.clock = clock;
        this.seq = lastSeq;
    }

    /**
     * A new event id, above the last one: the clock's milliseconds in the high bits, random low bits. Why ordered:
     * a new row's key then lands at the end of the primary-key index (and its children's at the end of the parent
     * index) instead of dirtying a page of its own at a random place (docs/performance.md: the write path); the
     * random bits keep ids apart across a restart with the clock set back.
     */
    String newId() {
        lastId = Math.max(lastId + 1, clock.millis() << 20 | random.nextInt(1 << 19));
        return "evt-" + HexFormat.of().toHexDigits(lastId);
    }

    /** The next change sequence number. */
    long nextSeq() {
        return ++seq;
    }

    /** The last sequence number handed out. */
    long lastSeq() {
        return seq;
    }

    /** The writer's time, formatted as stored (to the millisecond: the rows of one millisecond share the text). */
    String now() {
        long millis = clock.millis();
        if (millis != nowMillis || now == null) {
            nowMillis = millis;
            now = Timestamps.format(Instant.ofEpochMilli(millis));
        }
        return now;
    }
}
