package io.htmlgraph.sidecar.correlate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * The calls an imported tool result may belong to, for one batch, so that each result finds the newest call with its
 * fingerprint (session, tool, agent, input) at or before it without a query of its own: for each fingerprint of the
 * batch's results, the newest stored call that began before the window (the batch's first result less
 * {@link ImportStore#LONGEST_CALL}) and every stored call that began within it (up to its last result), read in two
 * queries; then the batch's own calls as they are stored and completed. Any older call of that fingerprint began
 * before the first of those, so the newest of them at or before a result is the newest in the store (ties: the first
 * stored wins). A query per result for the calls before the window (most results have a fingerprint seen for the
 * first time, with none) was more than a third of the writer's statements on a first import.
 */
final class ImportCalls {
    private final Map<Key, List<Call>> calls = new HashMap<>();
    private final Map<String, Call> byId = new HashMap<>();

    private ImportCalls() {
    }

    /** Reads the stored calls the batch's results may complete (none when it has no result). */
    static ImportCalls of(DbExecute tx, ImportBatch batch) {
        ImportCalls calls = new ImportCalls();
        String first = null;
        String last = null;
        for (Event e : batch.events()) {
            if (e.role() == ImportBatch.Role.TOOL_RESULT && e.fingerprint() != null) {
                calls.calls.putIfAbsent(new Key(e.sessionId(), e.fingerprint()), new ArrayList<>());
                first = first == null || e.timestamp().compareTo(first) < 0 ? e.timestamp() : first;
                last = last == null || e.timestamp().compareTo(last) > 0 ? e.timestamp() : last;
            }
        }
        if (first != null) {
            String keys = keys(calls.calls.keySet());
            String from = Timestamps.format(Timestamps.parse(first).minus(ImportStore.LONGEST_CALL));
            calls.read(tx, new Params().with("keys", keys).with("from", from), "import-calls-before");
            calls.read(tx, new Params().with("keys", keys).with("from", from).with("to", last), "import-calls-window");
        }
        return calls;
    }

    private void read(DbExecute tx, Params params, String statement) {
        try (Stream<DbRow> rows = params.query(tx, statement)) {
            rows.forEach(r -> add(new Key(Rows.text(r, "session_id"), Rows.text(r, "payload_hash")),
                                  Rows.text(r, "event_id"), Rows.text(r, "status"), Rows.text(r, "timestamp"),
                                  Rows.text(r, "ended_at")));
        }
    }

    /** The newest call with the result's fingerprint that began at or before it (ties: the first stored). */
    Optional<Call> latest(Event result) {
        Call newest = null;
        for (Call call : calls.getOrDefault(new Key(result.sessionId(), result.fingerprint()), List.of())) {
            if (call.timestamp.compareTo(result.timestamp()) <= 0
                    && (newest == null || call.timestamp.compareTo(newest.timestamp) > 0)) {
                newest = call;
            }
        }
        return Optional.ofNullable(newest);
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

    /** The keys as a JSON array of [session, fingerprint] pairs, for the statements' {@code json_each}. */
    private static String keys(Collection<Key> keys) {
        StringBuilder text = new StringBuilder(keys.size() * 96).append('[');
        for (Key key : keys) {
            text.append(text.length() > 1 ? ",[\"" : "[\"");
            quoted(key.sessionId(), text);
            text.append("\",\"");
            quoted(key.fingerprint(), text);
            text.append("\"]");
        }
        return text.append(']').toString();
    }

    /**
     * Appends the text as the inside of a JSON string: whole when nothing in it needs an escape (ids and hashes
     * never do), else through Jackson's encoder, which appends a character at a time (about 5 % of the writer's
     * time on a first import went there).
     */
    private static void quoted(String value, StringBuilder text) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < ' ' || c == '"' || c == '\\') {
                JsonStringEncoder.getInstance().quoteAsString(value, text);
                return;
            }
        }
        text.append(value);
    }

    /** A session and a fingerprint; equals and hashCode written out as NewRowCounts.Key's are (why: there). */
    private record Key(String sessionId, String fingerprint) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(sessionId, k.sessionId)
                   && Objects.equals(fingerprint, k.fingerprint);
        }

        @Override
        public int hashCode() {
            return 31 * Objects.hashCode(sessionId) + Objects.hashCode(fingerprint);
        }
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
