package io.htmlgraph.sidecar.domain;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

class TimestampsTest {
    private static final DateTimeFormatter PATTERN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Test
    void format_writesWhatThePatternWrites_atEdgesAndOverAMillionRandomInstants() {
        for (String edge : new String[] {"1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z", "2000-02-29T12:00:00.5Z",
            "2026-11-27T02:15:04.120Z", "2100-03-01T00:00:00Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z",
            "1600-02-29T23:59:59.001Z", "0000-12-31T23:59:59Z", "+10000-01-01T00:00:00Z", "-0001-06-01T00:00:00Z"}) {
            Instant instant = Instant.parse(edge);
            assertThat(edge, Timestamps.format(instant), is(PATTERN.format(instant)));
        }
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 1_000_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-62_200_000_000L, 253_500_000_000L),
                                                    random.nextInt(1_000_000_000));
            assertThat(Timestamps.format(instant), is(PATTERN.format(instant)));
        }
    }

    @Test
    void format_roundTripsThroughParse_toTheMillisecond() {
        Instant instant = Instant.parse("2026-12-01T01:50:07.123456789Z");
        assertThat(Timestamps.parse(Timestamps.format(instant)), is(Instant.parse("2026-12-01T01:50:07.123Z")));
    }
}
