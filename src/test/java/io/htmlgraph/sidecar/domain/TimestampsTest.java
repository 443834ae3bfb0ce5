package io.htmlgraph.sidecar.domain;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** The hand-written format and parse of our timestamps answer exactly what java.time answers. */
class TimestampsTest {
    private static final DateTimeFormatter JAVA_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Test
    void formatAndParse_agreeWithJavaTime_onRandomInstantsOfFourDigitYears() {
        SplittableRandom random = new SplittableRandom(15);
        long first = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
        long last = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            Instant at = Instant.ofEpochSecond(random.nextLong(first, last + 1), random.nextInt(1_000_000_000));
            String text = Timestamps.format(at);
            assertThat(text, is(JAVA_TIME.format(at)));
            assertThat(Timestamps.parse(text), is(Instant.parse(text)));
        }
    }

    @Test
    void edgesAndOtherForms_fallBackToJavaTime() {
        for (String text : List.of("2024-02-29T23:59:59.999Z", "1970-01-01T00:00:00.000Z", "2026-12-01T01:02:03Z",
                                   "2026-12-01T01:02:03.123456Z", "2026-12-01T01:02:03.120+02:00",
                                   "2026-06-30T23:59:60.000Z", "0000-01-01T00:00:00.000Z")) {
            assertThat(text, Timestamps.parse(text), is(Instant.parse(text)));
        }
        assertThat(Timestamps.format(Instant.parse("+10000-01-01T00:00:00Z")),
                   is(JAVA_TIME.format(Instant.parse("+10000-01-01T00:00:00Z"))));
    }

    @Test
    void outOfRangeFieldsInOurShape_answerAsJavaTimeAnswers() {
        for (String text : List.of("2026-13-01T00:00:00.000Z", "2026-02-30T00:00:00.000Z", "2026-01-01T24:00:00.000Z",
                                   "2026-01-01T00:60:00.000Z", "2026-0a-01T00:00:00.000Z",
                                   "2026-01-01T00:00:00.-01Z")) {
            assertThat(text, outcome(() -> Timestamps.parse(text)), is(outcome(() -> Instant.parse(text))));
        }
    }

    /** The instant, or the class of the exception thrown. */
    private static Object outcome(Supplier<Instant> parse) {
        try {
            return parse.get();
        } catch (DateTimeException e) {
            return e.getClass();
        }
    }
}
