package io.htmlgraph.sidecar.correlate;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the single writer remembers between events so that most events cost one lookup and one insert: each recent
 * session's current turn and model, each recent agent's name, delegation and waiting flag, and the session
 * counters (last event, event count) owed to the {@code sessions} table, written once per transaction.
 * Every remembered fact is also in the store; after a rollback the memory is dropped and reloaded from it.
 */
final class WriterState {
    private static final int MAX_ENTRIES = 10_000;

    private final Map<String, SessionState> sessions = lru();
    private final Map<String, AgentState> agents = lru();
    private final Map<String, Delta> deltas = new HashMap<>();

    SessionState session(String sessionId) {
        return sessions.get(sessionId);
    }

    void remember(String sessionId, SessionState state) {
        sessions.put(sessionId, state);
    }

    AgentState agent(String sessionId, String agentKey) {
        return agents.get(sessionId + '\u0000' + agentKey);
    }

    void remember(String sessionId, String agentKey, AgentState state) {
        agents.put(sessionId + '\u0000' + agentKey, state);
    }

    /** A session ended: forget its agents (their waiting flags were cleared in the store). */
    void forgetAgents(String sessionId) {
        agents.keySet().removeIf(key -> key.startsWith(sessionId + '\u0000'));
    }

    /** Counts an event of the transaction against its session. */
    void count(String sessionId, String at, int added) {
        deltas.computeIfAbsent(sessionId, id -> new Delta()).add(at, added);
    }

    /** Hands out the transaction's counts, then starts afresh. */
    Map<String, Delta> drainDeltas() {
        Map<String, Delta> drained = new HashMap<>(deltas);
        deltas.clear();
        return drained;
    }

    /** The transaction failed as a whole. */
    void reset() {
        sessions.clear();
        agents.clear();
        deltas.clear();
    }

    private static <V> Map<String, V> lru() {
        return new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > MAX_ENTRIES;
            }
        };
    }

    /** A session's current turn (may be null), model (may be null), and features (active, current turn's). */
    static final class SessionState {
        String turnId;
        String turnAt;
        String model;
        String feature;
        String turnFeature;
    }

    /** An agent's display name, delegation (subagents), whether it waits for a human, and whether it has a row. */
    static final class AgentState {
        String name;
        String delegationId;
        boolean waiting;
        boolean stored;
    }

    /** Session counters owed to the store: the latest event time and how many rows were added. */
    static final class Delta {
        String firstAt;
        String lastAt;
        int added;

        void add(String at, int rows) {
            firstAt = firstAt == null || at.compareTo(firstAt) < 0 ? at : firstAt;
            lastAt = lastAt == null || at.compareTo(lastAt) > 0 ? at : lastAt;
            added += rows;
        }
    }
}
