package io.htmlgraph.sidecar.ingest;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.sameInstance;

/** A request's repeated texts are kept once, equal to what came; past the limit new ones pass as they are. */
class RequestTextsTest {
    @Test
    void aRepeatedText_isTheFirstCopy_andPastTheLimitNewTextsComeAsTheyAre() {
        RequestTexts texts = new RequestTexts();
        String first = new String("session-1");
        assertThat(texts.of(first), sameInstance(first));
        String again = new String("session-1");
        assertThat(texts.of(again), sameInstance(first));
        assertThat(texts.of(null), nullValue());
        for (int i = 0; i < 1000; i++) {
            String text = "path-" + i;
            assertThat(texts.of(text), is(text));
        }
        String late = new String("path-999");
        assertThat(texts.of(late), sameInstance(late)); // not kept: the limit was reached before it came
        assertThat(texts.of(new String("session-1")), sameInstance(first));
    }
}
