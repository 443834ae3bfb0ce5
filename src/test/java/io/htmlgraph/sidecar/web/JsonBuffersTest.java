package io.htmlgraph.sidecar.web;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The read pool's answers are written into a buffer each reader thread keeps ({@link Json#bytesOnReader}): every
 * answer must be exactly what Jackson writes on its own — nothing left over from a longer answer before it, also
 * past the size whose buffer is kept, and on a virtual thread too.
 */
class JsonBuffersTest {
    private final Json json = new Json(Json.mapper());

    record Item(String eventId, String text, long count) {
    }

    @Test
    void bytesOnReader_equalsJacksonsOwn_forLongThenShortAnswers_andPastTheKeptSize() throws Exception {
        List<Item> longer = List.of(new Item("evt-1", "x".repeat(5000), 1), new Item("evt-2", "naïve 日本語", 2));
        List<Item> shorter = List.of(new Item("evt-3", "y", 3));
        List<Item> huge = List.of(new Item("evt-4", "z".repeat(600_000), 4));
        try (ExecutorService reader = Executors.newSingleThreadExecutor()) {
            for (List<Item> value : List.of(longer, shorter, huge, shorter, longer)) {
                assertThat(new String(reader.submit(() -> json.bytesOnReader(value)).get()),
                        is(new String(json.bytes(value))));
            }
        }
        try (ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor()) {
            assertThat(new String(virtual.submit(() -> json.bytesOnReader(longer)).get()),
                    is(new String(json.bytes(longer))));
        }
    }
}
