package io.htmlgraph.sidecar.query;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

import io.helidon.dbclient.DbRow;
import io.htmlgraph.sidecar.store.Database;
import io.htmlgraph.sidecar.store.Params;
import io.htmlgraph.sidecar.store.Rows;
import io.htmlgraph.sidecar.store.Reads;
import io.htmlgraph.sidecar.domain.DailyTotals;

/** The daily history: roll-ups of pruned events plus the stored events, by day (UTC). */
public final class DailyQueries {
    private final Reads db;
    private final Clock clock;

    public DailyQueries(Database database, Clock clock) {
        this.db = database.reads();
        this.clock = clock;
    }

    /** The last {@code days} days, today included, oldest first; days without events are absent. */
    public List<DailyTotals> daily(int days) {
        String since = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(days - 1L).toString();
        try (Stream<DbRow> rows = Params.of("since_day", since).query(db.execute(), "ops-daily")) {
            return rows.map(r -> new DailyTotals(Rows.text(r, "day"), Rows.wholeOr0(r, "events"),
                    Rows.wholeOr0(r, "errors"), Rows.wholeOr0(r, "tool_calls"), Rows.wholeOr0(r, "input_tokens"),
                    Rows.wholeOr0(r, "output_tokens"), Rows.wholeOr0(r, "cache_read_tokens"),
                    Rows.wholeOr0(r, "cache_creation_tokens"), Rows.wholeOr0(r, "unspecified_tokens"),
                    Rows.wholeOr0(r, "total_tokens"), orZero(Rows.real(r, "cost_usd")))).toList();
        }
    }

    private static double orZero(Double value) {
        return value == null ? 0 : value;
    }
}
