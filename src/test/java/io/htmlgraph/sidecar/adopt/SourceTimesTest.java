package io.htmlgraph.sidecar.adopt;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/** Every timestamp form found in htmlgraph files reads as the instant it meant; anything else as no time. */
class SourceTimesTest {
    private static final Instant AT = Instant.parse("2026-01-08T16:40:54Z");

    @Test
    void spaceSeparatedAndIsoWithoutZone_areUtc() {
        assertThat(SourceTimes.parse("2026-01-08 16:40:54"), is(AT));
        assertThat(SourceTimes.parse("2026-01-08T16:40:54"), is(AT));
        assertThat(SourceTimes.parse("2025-12-25T05:34:10.091725"), is(Instant.parse("2025-12-25T05:34:10.091725Z")));
        assertThat(SourceTimes.parse("2026-01-08 16:40:54 UTC"), is(AT));
    }

    @Test
    void isoWithZone_isConvertedToUtc() {
        assertThat(SourceTimes.parse("2026-01-08T16:40:54.363922+00:00"),
                   is(Instant.parse("2026-01-08T16:40:54.363922Z")));
        assertThat(SourceTimes.parse("2026-01-08T17:40:54+01:00"), is(AT));
        assertThat(SourceTimes.parse("2026-01-08T16:40:54Z"), is(AT));
        assertThat(SourceTimes.parse("2026-01-08T17:40:54+01:00[Europe/Paris]"), is(AT));
        assertThat(SourceTimes.parse("2026-01-08T16:40:54z"), is(AT));
    }

    @Test
    void timesWithoutSecondsOrWithBadFields() {
        assertThat(SourceTimes.parse("2026-01-08T16:40"), is(AT.minusSeconds(54)));
        assertThat(SourceTimes.parse("2026-01-08T25:40:54"), is(nullValue()));
        assertThat(SourceTimes.parse("2026-02-30 16:40:54"), is(nullValue()));
        assertThat(SourceTimes.parse("2026-01-08 16:60:54"), is(nullValue()));
        assertThat(SourceTimes.parse("2026-01-08T16:40:54+25:00"), is(nullValue()));
    }

    @Test
    void epochSecondsAndMillis_asNumbersOrText() {
        assertThat(SourceTimes.parse(1767890454L), is(AT));
        assertThat(SourceTimes.parse(1767890454.5), is(AT.plusMillis(500)));
        assertThat(SourceTimes.parse(1767890454000L), is(AT));
        assertThat(SourceTimes.parse("1767890454"), is(AT));
        assertThat(SourceTimes.parse("1767890454.25"), is(AT.plusMillis(250)));
        assertThat(SourceTimes.parse("1767890454000"), is(AT));
        assertThat(SourceTimes.parse("2026-01-08"), is(Instant.parse("2026-01-08T00:00:00Z")));
    }

    @Test
    void textThatIsNoTime_readsAsNone() {
        assertThat(SourceTimes.parse("0.0"), is(nullValue()));
        assertThat(SourceTimes.parse(""), is(nullValue()));
        assertThat(SourceTimes.parse(null), is(nullValue()));
        assertThat(SourceTimes.parse("yesterday"), is(nullValue()));
        assertThat(SourceTimes.parse("12345678"), is(nullValue())); // eight digits: not an epoch, not a date
        assertThat(SourceTimes.parse("1767890454."), is(nullValue()));
        assertThat(SourceTimes.parse("1767890454.5.5"), is(nullValue()));
        assertThat(SourceTimes.parse("１７６７８９０４５４"), is(nullValue())); // digits, but not ASCII ones
        assertThat(SourceTimes.parse("2026-01-08_16:40:54"), is(nullValue()));
        assertThat(SourceTimes.parse(0), is(nullValue()));
    }
}
