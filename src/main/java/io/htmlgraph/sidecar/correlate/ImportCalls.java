package io.htmlgraph.sidecar.correlate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.htmlgraph.sidecar.domain.ImportBatch;
import io.htmlgraph.sidecar.domain.ImportBatch.Event;
import io.htmlgraph.sidecar.domain.Timestamps;
import io.htmlgraph.sidecar.store.Params;
import io.htmlgraph.sidecar.store.Rows;

/**
 * The calls an imported tool result may belong to, for one batch: the stored calls with the fingerprint (session,
 * tool, agent, input) of one of the batch's results that began within {@link ImportStore#LONGEST_CALL} before its
 * first result, read in one query, and the batch's own calls as they are stored and completed. The newest one at or
 * before a result answers {@code import-call-latest} for it without a query per result (that query was a tenth to a
 * fifth of the writer's time); only a result with no call in that window asks the store, so the answer stays the
 * same as the query's, ties included (the first stored wins, as in the query's sort).
 */
final class ImportCalls {
    private final DbExecute tx;
    private final String from;
    private final Map<Key, List<Call>> calls = new HashMap<>();
    private final Map<String, Call> byId = new HashMap<>();

    private ImportCalls(DbExecute tx, String from) {
        this.tx = tx;
        this.from = from;
    }

    /** Reads the stored calls the batch's results may complete (none when it has no result). */
    static ImportCalls of(DbExecute tx, ImportBatch batch) {
        List<Event> results = batch.events().stream()
                .filter(e -> e.role() == ImportBatch.Role.TOOL_RESULT && e.fingerprint() != null).toList();
        String first = results.stream().map(Event::timestamp).min(String::compareTo).orElse(null);
        String last = results.stream().map(Event::timestamp).max(String::compareTo).orElse(null);
        ImportCalls calls = new ImportCalls(tx, first == null ? null
                : Timestamps.format(Timestamps.parse(first).minus(ImportStore.LONGEST_CALL)));
        results.forEach(e -> calls.calls.putIfAbsent(new Key(e.sessionId(), e.fingerprint()), new ArrayList<>()));
        if (!results.isEmpty()) {
            try (Stream<DbRow> rows = new Params().with("keys", keys(calls.calls.keySet())).with("from", calls.from)
                    .with("to", last).query(tx, "import-calls-window")) {
                rows.forEach(r -> calls.add(new Key(Rows.text(r, "session_id"), Rows.text(r, "payload_hash")),
                                            Rows.text(r, "event_id"), Rows.text(r, "status"),
                                            Rows.text(r, "timestamp"), Rows.text(r, "ended_at")));
            }
        }
        return calls;
    }

    /** The newest call with the result's fingerprint that began at or before it, as {@code import-call-latest}. */
    Optional<Call> latest(Event result) {
        Call newest = null;
        for (Call call : calls.getOrDefault(new Key(result.sessionId(), result.fingerprint()), List.of())) {
            if (call.timestamp.compareTo(from) >= 0 && call.timestamp.compareTo(result.timestamp()) <= 0
                    && (newest == null || call.timestamp.compareTo(newest.timestamp) > 0)) {
                newest = call;
            }
        }
        if (newest != null) {
            return Optional.of(newest);
        }
        return new Params().with("session_id", result.sessionId()).with("payload_hash", result.fingerprint())
                .with("at", result.timestamp()).get(tx, "import-call-latest")
                .map(r -> new Call(Rows.text(r, "event_id"), Rows.text(r, "status"), Rows.text(r, "timestamp"),
                                   Rows.text(r, "ended_at")));
    }

    /** A row was stored (kept when one of the batch's results has its fingerprint). */
    void stored(Event e, String status, String start, String endedAt) {
        add(new Key(e.sessionId(), e.fingerprint()), e.eventId(), status, start, endedAt);
    }

    /** A stored call was completed. */
    void finished(String eventId, String status, String endedAt) {
        Call call = byId.get(eventId);
        if (call != null) {
            call.status = status;
            call.endedAt = endedAt;
        }
    }

    private void add(Key key, String eventId, String status, String timestamp, String endedAt) {
        List<Call> list = calls.get(key);
        if (list != null) {
            Call call = new Call(eventId, status, timestamp, endedAt);
            list.add(call);
            byId.put(eventId, call);
        }
    }

    /** The keys as a JSON array of [session, fingerprint] pairs, for the statement's {@code json_each}. */
    private static String keys(Iterable<Key> keys) {
        JsonStringEncoder json = JsonStringEncoder.getInstance();
        StringBuilder text = new StringBuilder("[");
        for (Key key : keys) {
            text.append(text.length() > 1 ? ",[\"" : "[\"").append(json.quoteAsString(key.sessionId()))
                    .append("\",\"").append(json.quoteAsString(key.fingerprint())).append("\"]");
        }
        return text.append(']').toString();
    }

    private record Key(String sessionId, String fingerprint) {
    }

    /** A stored call: its row, when it began, and (changing as the batch completes it) its status and end. */
    static final class Call {
        final String eventId;
        final String timestamp;
        String status;
        String endedAt;

        Call(String eventId, String status, String timestamp, String endedAt) {
            this.eventId = eventId;
            this.status = status;
            this.timestamp = timestamp;
            this.endedAt = endedAt;
        }
    }
}
