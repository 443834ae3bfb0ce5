package io.htmlgraph.sidecar.adopt;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.htmlgraph.sidecar.store.HtmlgraphFile;
import io.htmlgraph.sidecar.store.SourceRow;

/**
 * Our ids for htmlgraph's events: {@code hg-<time>-<htmlgraph's id>}, the event's time first (12 hex digits of epoch
 * milliseconds), so that an import appends to the event id's index as live hooks' ids do. htmlgraph's own ids are
 * random, and 8,000 of them dirtied about 5,000 of that index's leaves at 1,000,000 events: more than half of what
 * storing them cost (docs/performance.md, the import, rounds eight and nine). The same row always gives the same id,
 * so importing again adds nothing. A parent's id needs the parent's time: it is taken from the rows mapped lately
 * (a turn's rows follow its prompt), else read from the file by htmlgraph's id, its primary key (a file without an
 * index on it, which no htmlgraph version wrote, gets no lookups: a scan per row would never end on a large file).
 */
final class EventIds {
    /** Time columns of an event, the first that holds a time wins (rows written askew have it in the second). */
    static final List<String> TIMES = List.of("timestamp", "created_at");
    private static final int REMEMBERED = 4096;
    private static final String NO_ROW = "";
    private static final String ZEROS = "000000000000";
    /** The latest time 12 hex digits of milliseconds hold (year 10889); a later one (no real event's) sorts there. */
    private static final long MAX_MILLIS = 0xFFFF_FFFF_FFFFL;

    private final HtmlgraphFile file;
    /** Whether the file finds an event by id with an index (else a lookup would scan it: only recent rows count). */
    private final boolean lookups;
    private final Map<String, String> recent = new LinkedHashMap<>(REMEMBERED * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > REMEMBERED;
        }
    };

    EventIds(HtmlgraphFile file) {
        this.file = file;
        this.lookups = file.keyIndexed("agent_events");
    }

    /** The event's time as htmlgraph stored it: its first column that parses as one, null when none does. */
    static Instant time(SourceRow r) {
        Instant at = SourceTimes.parse(r.value(TIMES.get(0)));
        return at != null ? at : SourceTimes.parse(r.value(TIMES.get(1)));
    }

    /** Our id for the event with htmlgraph's id {@code sourceId} and time {@code at} (null: unknown). */
    static String of(Instant at, String sourceId) {
        if (at == null) {
            return "hg-" + RowMapper.id(sourceId);
        }
        long seconds = at.getEpochSecond();
        long millis = seconds < 0 ? 0 : seconds > MAX_MILLIS / 1000 ? MAX_MILLIS
                : Math.min(seconds * 1000 + at.getNano() / 1_000_000, MAX_MILLIS);
        String hex = Long.toHexString(millis);
        String id = sourceId.length() > RowMapper.MAX_ID - 16 ? sourceId.substring(0, RowMapper.MAX_ID - 16)
                : sourceId;
        return "hg-" + ZEROS.substring(hex.length()) + hex + '-' + id;
    }

    /** Our id for the row just read, of time {@code at} (remembered for the rows whose parent it is). */
    String row(Instant at, String sourceId) {
        String id = of(at, sourceId);
        recent.put(sourceId, id);
        return id;
    }

    /** Our id for the event htmlgraph names as a parent, null when the file has no such row. */
    String parent(String sourceId) {
        String id = recent.get(sourceId);
        if (id == null) {
            SourceRow row = lookups ? file.rowWithKey("agent_events", sourceId, TIMES) : null;
            id = row == null ? NO_ROW : of(time(row), sourceId);
            recent.put(sourceId, id);
        }
        return id.isEmpty() ? null : id;
    }
}
