package io.htmlgraph.sidecar.store;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.helidon.dbclient.DbExecute;
import io.htmlgraph.sidecar.domain.EventStatus;

/**
 * What new {@code agent_events} rows add to the summary tables, counted in memory and written as one upsert per key:
 * {@code event_counts} (per agent and type), {@code session_summary} (per session), {@code activity_minutes} (per
 * minute), {@code agent_minutes} (per agent and minute), {@code daily_totals} (per day), {@code agent_errors} (per
 * agent) and {@code spawner_sessions}. Each figure follows the same rule as the recount the summary tests compare
 * with (and as the insert triggers that migration 12 replaced), and so does a call's first finish by its hook
 * (migration 15: the minute triggers leave it to the writer). Other changes to a row and deletions go through the
 * update and delete triggers. Writer thread only.
 */
final class NewRowCounts {
    private static final Binder EVENT_COUNTS = Binder.of("write-event-counts-add", "agent_id", "event_type", "events",
            "last_at");
    private static final Binder SESSION_SUMMARY = Binder.of("turns-session-summary-add", "session_id", "events",
            "turns", "tool_calls", "errors");
    private static final Binder ACTIVITY_MINUTES = Binder.of("write-activity-minutes-add", "minute", "events",
            "calls", "errors", "b0", "b1", "b2", "b3", "b4", "b5");
    private static final Binder ACTIVITY_MINUTE_EVENTS = Binder.of("write-activity-minutes-add-events", "minute",
            "events");
    private static final Binder AGENT_MINUTES = Binder.of("write-agent-minutes-add", "agent_id", "minute", "calls",
            "successes", "errors", "timed", "seconds");
    private static final Binder DAILY_TOTALS = Binder.of("write-daily-totals-add", "day", "events", "errors",
            "tool_calls");
    private static final Binder AGENT_ERRORS = Binder.of("write-agent-errors-add", "agent_id", "errors");
    private static final Binder SPAWNER_SESSION = Binder.of("write-spawner-session", "spawner_type", "session_id");

    private final Map<Key, Count> eventCounts = new HashMap<>();
    private final Map<String, SessionCount> sessions = new HashMap<>();
    private final Map<String, MinuteCount> minutes = new HashMap<>();
    private final Map<Key, AgentMinuteCount> agentMinutes = new HashMap<>();
    private final Map<String, long[]> days = new HashMap<>();
    private final Map<String, long[]> agentErrors = new HashMap<>();
    private final Set<Key> spawnerSessions = new HashSet<>();

    /** Counts one new row. */
    void add(EventRow row) {
        String minute = minute(row.timestamp());
        eventCounts.computeIfAbsent(new Key(row.agentId(), row.eventType()), k -> new Count()).add(1, row.timestamp());
        sessions.computeIfAbsent(row.sessionId(), k -> new SessionCount()).add(row);
        MinuteCount minuteCount = minutes.computeIfAbsent(minute, k -> new MinuteCount());
        minuteCount.events++;
        minuteCount.add(row.eventType(), row.toolName(), row.status(), row.duration(), 1);
        boolean call = agentCall(row.eventType(), row.toolName());
        boolean error = EventStatus.ERROR.is(row.status());
        long[] day = days.computeIfAbsent(minute.substring(0, Math.min(10, minute.length())), k -> new long[3]);
        day[0]++;
        day[1] += error ? 1 : 0;
        day[2] += call ? 1 : 0;
        if (call) {
            AgentMinuteCount agentMinute = agentMinutes.computeIfAbsent(new Key(row.agentId(), minute),
                                                                         k -> new AgentMinuteCount());
            agentMinute.calls++;
            agentMinute.add(row.status(), row.duration(), 1);
        }
        if (error) {
            agentErrors.computeIfAbsent(row.agentId(), k -> new long[1])[0]++;
        }
        if (row.spawnerType() != null) {
            spawnerSessions.add(new Key(row.spawnerType(), row.sessionId()));
        }
    }

    /**
     * Counts a change of a stored call's status and duration (its time, type, tool and agent stay): what the row
     * counted before comes off its minute's figures, what it counts now goes on.
     */
    void finished(String agentId, String eventType, String toolName, String timestamp, String statusBefore,
                  Double durationBefore, String status, Double duration) {
        String minute = minute(timestamp);
        MinuteCount minuteCount = minutes.computeIfAbsent(minute, k -> new MinuteCount());
        minuteCount.add(eventType, toolName, statusBefore, durationBefore, -1);
        minuteCount.add(eventType, toolName, status, duration, 1);
        if (agentCall(eventType, toolName)) {
            AgentMinuteCount agentMinute = agentMinutes.computeIfAbsent(new Key(agentId, minute),
                                                                         k -> new AgentMinuteCount());
            agentMinute.add(statusBefore, durationBefore, -1);
            agentMinute.add(status, duration, 1);
        }
    }

    private static String minute(String timestamp) {
        return timestamp.substring(0, Math.min(16, timestamp.length()));
    }

    /** A tool call or delegation that agent_minutes counts (not a prompt). */
    private static boolean agentCall(String eventType, String toolName) {
        return toolName != null && !"UserQuery".equals(toolName)
               && ("tool_call".equals(eventType) || "delegation".equals(eventType));
    }

    /** Writes the counts, one upsert per key, inside the transaction whose rows they count. */
    void write(DbExecute tx) {
        eventCounts.forEach((key, c) -> EVENT_COUNTS.dml(tx, key.a(), key.b(), c.events, c.lastAt));
        sessions.forEach((id, c) -> SESSION_SUMMARY.dml(tx, id, c.events, c.turns, c.toolCalls, c.errors));
        minutes.forEach((minute, c) -> {
            if (c.onlyEvents()) {
                ACTIVITY_MINUTE_EVENTS.dml(tx, minute, c.events);
            } else {
                ACTIVITY_MINUTES.dml(tx, minute, c.events, c.calls, c.errors, c.buckets[0], c.buckets[1], c.buckets[2],
                        c.buckets[3], c.buckets[4], c.buckets[5]);
            }
        });
        agentMinutes.forEach((key, c) -> AGENT_MINUTES.dml(tx, key.a(), key.b(), c.calls, c.successes, c.errors,
                c.timed, c.seconds));
        days.forEach((day, c) -> DAILY_TOTALS.dml(tx, day, c[0], c[1], c[2]));
        agentErrors.forEach((agent, c) -> AGENT_ERRORS.dml(tx, agent, c[0]));
        spawnerSessions.forEach(key -> SPAWNER_SESSION.dml(tx, key.a(), key.b()));
    }

    void clear() {
        eventCounts.clear();
        sessions.clear();
        minutes.clear();
        agentMinutes.clear();
        days.clear();
        agentErrors.clear();
        spawnerSessions.clear();
    }

    /**
     * Two texts as one map key. Its equals and hashCode are written out: a record's generated ones run through
     * method handles that the launcher's C1-only JIT ({@code -XX:TieredStopAtLevel=1}) does not inline, and they
     * were about a tenth of the writer's own (Java) time on an import.
     */
    private record Key(String a, String b) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(a, k.a) && Objects.equals(b, k.b);
        }

        @Override
        public int hashCode() {
            return 31 * Objects.hashCode(a) + Objects.hashCode(b);
        }
    }

    private static final class Count {
        long events;
        String lastAt;

        void add(long more, String at) {
            events += more;
            lastAt = lastAt == null || at.compareTo(lastAt) > 0 ? at : lastAt;
        }
    }

    /** A session's events, turns, tool calls and errors (the tests of the session-totals statement). */
    private static final class SessionCount {
        long events;
        long turns;
        long toolCalls;
        long errors;

        void add(EventRow row) {
            boolean prompt = "UserQuery".equals(row.toolName());
            events++;
            turns += prompt ? 1 : 0;
            toolCalls += row.toolName() != null && !prompt
                    && ("tool_call".equals(row.eventType()) || "delegation".equals(row.eventType())) ? 1 : 0;
            errors += EventStatus.ERROR.is(row.status()) ? 1 : 0;
        }
    }

    /**
     * A minute's events, and its finished tool calls (success or error, not prompts) with their errors and duration
     * buckets: under 0.1 s, 0.5, 1, 5, 30 s, and longer.
     */
    private static final class MinuteCount {
        private static final double[] BOUNDS = {0.1, 0.5, 1, 5, 30};
        long events;
        long calls;
        long errors;
        final long[] buckets = new long[BOUNDS.length + 1];

        /** Adds ({@code sign} 1) or takes back (-1) what a row with these values counts, its event aside. */
        void add(String eventType, String toolName, String status, Double duration, int sign) {
            boolean finished = EventStatus.SUCCESS.is(status) || EventStatus.ERROR.is(status);
            if (!"tool_call".equals(eventType) || !finished || toolName == null || "UserQuery".equals(toolName)) {
                return;
            }
            calls += sign;
            errors += EventStatus.ERROR.is(status) ? sign : 0;
            if (duration != null) {
                int b = 0;
                while (b < BOUNDS.length && duration >= BOUNDS[b]) {
                    b++;
                }
                buckets[b] += sign;
            }
        }

        /** Whether it adds events and nothing else: no finished call, or as many taken back as added. */
        boolean onlyEvents() {
            if (calls != 0 || errors != 0) {
                return false;
            }
            for (long b : buckets) {
                if (b != 0) {
                    return false;
                }
            }
            return true;
        }
    }

    /** An agent's tool calls and delegations in a minute: outcomes and durations (migration 10's agent_minutes). */
    private static final class AgentMinuteCount {
        long calls;
        long successes;
        long errors;
        long timed;
        double seconds;

        /** Adds ({@code sign} 1) or takes back (-1) a call's outcome and duration, the call itself aside. */
        void add(String status, Double duration, int sign) {
            successes += EventStatus.succeeded(status) ? sign : 0;
            errors += EventStatus.ERROR.is(status) ? sign : 0;
            if (duration != null) {
                timed += sign;
                seconds += sign * duration;
            }
        }

    }
}
