package io.htmlgraph.sidecar.correlate;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

import io.htmlgraph.sidecar.domain.FeatureChange;
import io.htmlgraph.sidecar.domain.HookKind;
import io.htmlgraph.sidecar.domain.ImportBatch;
import io.htmlgraph.sidecar.domain.IngestEvent;
import io.htmlgraph.sidecar.domain.Ingested;
import io.htmlgraph.sidecar.domain.SpawnerEvent;
import io.htmlgraph.sidecar.domain.UsageItem;

/**
 * What one commit changed, for its listeners: the last sequence number committed, and the sessions whose rows it
 * wrote, unless {@code anywhere} (it may have written rows of any session, or rows that belong to none).
 *
 * @param sequence the last sequence number committed
 * @param sessions the sessions written to (all of them, when {@code anywhere} is false)
 * @param anywhere true when the commit may have changed rows of sessions not in {@code sessions}
 */
public record Commit(long sequence, Set<String> sessions, boolean anywhere) {
    public Commit {
        sessions = Set.copyOf(sessions);
    }

    /** A commit that may have changed anything (maintenance, features, imports, telemetry). */
    static Commit anywhere(long sequence) {
        return new Commit(sequence, Set.of(), true);
    }

    /** A commit of these requests' items: confined to their sessions when every item is. */
    static Commit of(long sequence, Collection<? extends Ingested> items) {
        Set<String> sessions = new HashSet<>();
        for (Ingested item : items) {
            String session = sessionOf(item);
            if (session == null) {
                return anywhere(sequence);
            }
            sessions.add(session);
        }
        return new Commit(sequence, sessions, false);
    }

    /**
     * The one session whose rows an item writes, or null when it may write others'. A hook writes only its own
     * session's rows (every lookup of the correlator is by session), except a prompt with a {@code prompt_id}: it
     * claims the telemetry waiting for that prompt, whatever session that telemetry named. Telemetry finds its turn
     * by prompt id alone, a spawner run may hang under an event of another session, and features and imports span
     * sessions.
     */
    static String sessionOf(Ingested item) {
        return switch (item) {
            case IngestEvent e -> e.kind() == HookKind.USER_PROMPT && e.promptId() != null ? null : e.sessionId();
            case SpawnerEvent s -> null;
            case UsageItem u -> null;
            case FeatureChange f -> null;
            case ImportBatch b -> null;
        };
    }
}
