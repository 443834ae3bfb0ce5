package io.htmlgraph.sidecar.metrics;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.htmlgraph.sidecar.query.MetricsQueries.SessionCounts;

/**
 * What the store held at one refresh, already folded to bounded label values: the database-derived gauges read
 * only this, so a scrape never waits on SQLite.
 *
 * @param knownAgents   agents of {@code /api/initial-stats}: the main agent, subagent types and spawner types
 * @param activeAgents  known agents seen within the idle time
 * @param waitingAgents agents of active sessions waiting for a human
 * @param eventsByType  stored events per {@code event_type}
 * @param turns         stored turns per status
 */
record Snapshot(long knownAgents, long activeAgents, long waitingAgents, List<Agent> agents, List<Spawner> spawners,
                List<Model> models, List<Tool> tools, SessionCounts sessions, Map<String, Long> features,
                Map<String, Long> eventsByType, Map<String, Long> turns) {

    Snapshot {
        agents = List.copyOf(agents);
        spawners = List.copyOf(spawners);
        models = List.copyOf(models);
        tools = List.copyOf(tools);
        features = Map.copyOf(features);
        eventsByType = Map.copyOf(eventsByType);
        turns = Map.copyOf(turns);
    }

    /** Tokens by kind; {@code unspecified} are tokens a source reported only as a total. */
    record Tokens(long input, long output, long cacheRead, long cacheCreation, long unspecified) {
        static final Tokens NONE = new Tokens(0, 0, 0, 0, 0);

        Tokens plus(Tokens o) {
            return new Tokens(input + o.input, output + o.output, cacheRead + o.cacheRead,
                              cacheCreation + o.cacheCreation, unspecified + o.unspecified);
        }

        long total() {
            return input + output + cacheRead + cacheCreation + unspecified;
        }

        /** The {@code type} label values with their counts. */
        Map<String, Long> byType() {
            Map<String, Long> types = new LinkedHashMap<>();
            types.put("input", input);
            types.put("output", output);
            types.put("cache_read", cacheRead);
            types.put("cache_creation", cacheCreation);
            types.put("unspecified", unspecified);
            return types;
        }
    }

    /** One agent (or {@code other}): events, errors, sessions, last event, tokens, cost, share of all events. */
    record Agent(String name, long events, long errors, long sessions, Instant lastActive, Tokens tokens,
                 double costUsd, double workloadRatio) {
    }

    /** One spawner type (or {@code other}); {@code finished} runs took {@code durationSeconds} together. */
    record Spawner(String type, long delegations, long successes, long finished, double durationSeconds, long tokens,
                   double costUsd) {

        /** The average duration of a finished run, null before one finished. */
        Double averageDurationSeconds() {
            return finished == 0 ? null : durationSeconds / finished;
        }
    }

    /** One tool (or {@code other}): its calls with a known request, and their shares of those requests. */
    record Tool(String name, long calls, double tokens, double costUsd) {
    }

    /** One model (or {@code other}, or {@code unknown} when the source named none). */
    record Model(String name, Tokens tokens, double costUsd) {
    }
}
