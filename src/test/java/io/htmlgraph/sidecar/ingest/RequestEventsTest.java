package io.htmlgraph.sidecar.ingest;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.htmlgraph.sidecar.domain.IngestEvent;
import io.htmlgraph.sidecar.web.Json;
import org.junit.jupiter.api.Test;

import static io.htmlgraph.sidecar.Hooks.file;
import static io.htmlgraph.sidecar.Hooks.post;
import static io.htmlgraph.sidecar.Hooks.pre;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.nullValue;

/** A request's call starts are written only when their end does not follow (the rest: BatchedCallsTest). */
class RequestEventsTest {
    @Test
    void aStartWhoseEndFollows_isNotWritten_theOthersAre() {
        Sanitizer sanitizer = new Sanitizer(Json.mapper(), 65_536, false);
        HookNormalizer normalizer = new HookNormalizer(sanitizer);
        RequestEvents events = new RequestEvents(sanitizer);
        RequestTexts texts = new RequestTexts();
        for (ObjectNode hook : List.of(pre("s", "Read", "paired", file("/app/A.java")),
                post("s", "Read", "paired", file("/app/A.java"), 5, "class A {}"),
                pre("s", "Read", "open", file("/app/B.java")))) {
            events.add(normalizer.normalizeInRequest(hook, null, Instant.EPOCH, null, texts), hook);
        }
        List<IngestEvent> all = events.all();
        assertThat(all.get(0).payload(), nullValue());
        assertThat(all.get(1).payload(), containsString("class A {}"));
        assertThat(all.get(2).payload(), containsString("/app/B.java"));
    }
}
