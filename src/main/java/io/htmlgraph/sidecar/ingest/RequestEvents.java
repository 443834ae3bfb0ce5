package io.htmlgraph.sidecar.ingest;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.htmlgraph.sidecar.domain.CallPairs;
import io.htmlgraph.sidecar.domain.IngestEvent;

/**
 * A hook request's events as they are normalised, in order. A call's start whose end follows in the request is
 * stored as one row with the end's payload ({@link CallPairs}), so the start's payload is written only once it is
 * known that its end does not follow: the start waits with its cleaned payload until {@link CallPairs#WINDOW} more
 * events have come, or the body has ended (so at most that many wait). Writing payloads was a fifth of a batch's time
 * on the request threads, and in a batch most calls' starts have their end beside them.
 */
final class RequestEvents {
    private final Sanitizer sanitizer;
    private final List<IngestEvent> events = new ArrayList<>();
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();

    private record Waiting(int index, ObjectNode payload) {
    }

    RequestEvents(Sanitizer sanitizer) {
        this.sanitizer = sanitizer;
    }

    /** Adds the next event; {@code payload} is its cleaned payload, which it may come without. */
    void add(IngestEvent event, ObjectNode payload) {
        events.add(event);
        if (event.payload() == null) {
            waiting.add(new Waiting(events.size() - 1, payload));
        }
        settle(events.size());
    }

    /** Every event of the body, each with its payload unless it is never stored. */
    List<IngestEvent> all() {
        settle(Integer.MAX_VALUE);
        return events;
    }

    /** Writes the payloads of the waiting starts whose end cannot come any more within {@code seen} events. */
    private void settle(int seen) {
        while (!waiting.isEmpty() && (long) waiting.peekFirst().index() + CallPairs.WINDOW <= seen) {
            Waiting start = waiting.removeFirst();
            if (CallPairs.endOf(events, start.index()) < 0) {
                events.set(start.index(), events.get(start.index()).withPayload(sanitizer.payload(start.payload())));
            }
        }
    }
}
