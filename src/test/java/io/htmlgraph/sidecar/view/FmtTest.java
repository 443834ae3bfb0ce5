package io.htmlgraph.sidecar.view;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The dashboard's counts, and its time text: the store's own form is rearranged, anything else is parsed or shown as it
 * is.
 */
class FmtTest {
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    @Test
    void count_separatesThousandsLikeTheFormatter() {
        for (long n : new long[] {0, 7, 999, 1000, 12_345, 999_999, 1_000_000, 86_800, -1, -1234, -999_999,
                Long.MAX_VALUE, Long.MIN_VALUE}) {
            assertThat(Fmt.count(n), is(String.format(java.util.Locale.ROOT, "%,d", n)));
        }
    }

    @Test
    void count_withANoun_isSingularForOneOnly() {
        assertThat(Fmt.count(1, "tool call"), is("1 tool call"));
        assertThat(Fmt.count(0, "tool call"), is("0 tool calls"));
        assertThat(Fmt.count(1_024, "tool call"), is("1,024 tool calls"));
    }

    @Test
    void time_ofTheStoresForm_readsAsParsingItWould() {
        for (String iso : new String[] {"2026-11-30T20:55:01.123Z", "2026-01-02T03:04:05Z",
                "1999-12-31T23:59:59.999999Z", "2026-11-30T20:55:01.1Z"}) {
            assertThat(iso, Fmt.time(iso).utc(), is(UTC.format(Instant.parse(iso))));
            assertThat(Fmt.time(iso).iso(), is(iso));
        }
    }

    @Test
    void time_inAnotherForm_isParsedOrShownAsItIs() {
        assertThat(Fmt.time("2026-11-30T21:55:01+01:00").utc(), is("2026-11-30 20:55:01 UTC"));
        assertThat(Fmt.time("yesterday at noon, roughly").utc(), is("yesterday at noon, roughly"));
        assertThat(Fmt.time("2026-11-30T2x:55:01.000Z").utc(), is("2026-11-30T2x:55:01.000Z"));
        assertThat(Fmt.time(null) == null, is(true));
    }
}
