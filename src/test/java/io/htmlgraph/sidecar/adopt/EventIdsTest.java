package io.htmlgraph.sidecar.adopt;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** Imported events' ids sort in time order whatever htmlgraph's ids are, stay within bounds, and never change. */
class EventIdsTest {
    @Test
    void idsSortInTimeOrder_whateverHtmlgraphsIdsAre() {
        Instant at = Instant.parse("2026-01-08T16:40:54.363Z");
        List<String> ids = List.of(EventIds.of(Instant.parse("2001-09-09T01:46:39.999Z"), "evt-ffff"),
                                   EventIds.of(at, "evt-ffff"), EventIds.of(at.plusMillis(1), "evt-0000"),
                                   EventIds.of(at.plusSeconds(86_400L * 365 * 100), "evt-0000"));
        List<String> sorted = new ArrayList<>(ids);
        sorted.sort(null);
        assertThat(sorted, is(ids));
        assertThat(ids.get(1), is("hg-019b9e7b875b-evt-ffff"));
        assertThat("12 digits before 2001-09-09 too", ids.get(0), is("hg-00e8d4a50fff-evt-ffff"));
        assertThat(EventIds.of(at, "evt-ffff"), is(ids.get(1)));
    }

    @Test
    void anEventWithoutTime_keepsHtmlgraphsId_andLongIdsAreCut() {
        assertThat(EventIds.of(null, "evt-1"), is("hg-evt-1"));
        assertThat(EventIds.of(Instant.EPOCH, "x".repeat(1000)).length(), is(RowMapper.MAX_ID));
        assertThat(EventIds.of(null, "x".repeat(1000)).length(), is(RowMapper.MAX_ID));
        assertThat(EventIds.of(Instant.parse("-1000-01-01T00:00:00Z"), "e"), is("hg-000000000000-e"));
        assertThat("a time past 12 digits stays 12 digits", EventIds.of(Instant.MAX, "e"), is("hg-ffffffffffff-e"));
        assertThat(EventIds.of(Instant.parse("+12000-01-01T00:00:00Z"), "e"), is("hg-ffffffffffff-e"));
    }
}
