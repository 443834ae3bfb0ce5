package io.htmlgraph.sidecar.correlate;

import java.util.Optional;

import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.htmlgraph.sidecar.domain.BadInputException;
import io.htmlgraph.sidecar.domain.ErrorCode;
import io.htmlgraph.sidecar.domain.EventStatus;
import io.htmlgraph.sidecar.domain.SpawnerEvent;
import io.htmlgraph.sidecar.domain.Timestamps;
import io.htmlgraph.sidecar.store.EventRow;
import io.htmlgraph.sidecar.store.EventTable;
import io.htmlgraph.sidecar.store.Params;
import io.htmlgraph.sidecar.store.Rows;

/**
 * Applies spawner events: every event is kept in {@code live_events}, and each spawn is one row of
 * {@code agent_events} ({@code event_type = 'delegation'}, {@code spawner_type} set) that {@code spawner_start} opens,
 * phases and tool uses update, and {@code spawner_complete} closes with its status, duration, tokens and cost. The
 * row's {@code feature_id} makes the run's tokens and cost count toward that feature (the {@code usage_records} view
 * has one row per run).
 */
final class SpawnerRuns {
    private final Stamps stamps;
    private final EventTable events;
    private final Presence presence;

    SpawnerRuns(Stamps stamps, EventTable events, Presence presence) {
        this.stamps = stamps;
        this.events = events;
        this.presence = presence;
    }

    void apply(DbExecute tx, SpawnerEvent s) {
        String at = Timestamps.format(s.at());
        if (new Params().with("session_id", s.sessionId()).with("payload_hash", s.payloadHash())
                .with("since", Timestamps.format(s.at().minus(Correlator.DUPLICATE_WINDOW)))
                .get(tx, "spawner-duplicate").isPresent()) {
            return; // a redelivery
        }
        WriterState.SessionState session = presence.session(tx, s.sessionId(), at, null);
        Optional<DbRow> run = s.runId() != null
                ? new Params().with("session_id", s.sessionId()).with("run_id", s.runId()).get(tx, "spawner-run-by-id")
                : s.type() == SpawnerEvent.Type.START ? Optional.empty()
                : new Params().with("session_id", s.sessionId()).with("spawner_type", s.spawnerType())
                        .get(tx, "spawner-run-open");
        String runId;
        String startedAt;
        String status;
        if (run.isEmpty()) {
            runId = open(tx, s, at, session);
            startedAt = at;
            status = EventStatus.RUNNING.value();
        } else {
            runId = Rows.text(run.get(), "event_id");
            startedAt = Rows.text(run.get(), "timestamp");
            status = Rows.text(run.get(), "status");
            presence.count(s.sessionId(), at, 0);
        }
        if (EventStatus.RUNNING.is(status) && s.type() != SpawnerEvent.Type.START) {
            update(tx, s, runId, startedAt, at);
        }
        new Params().with("seq", stamps.nextSeq()).with("event_type", s.type().wire())
                .with("spawner_type", s.spawnerType())
                .with("run_event_id", runId).with("parent_event_id", s.parentEventId())
                .with("session_id", s.sessionId()).with("timestamp", at).with("data", s.data())
                .with("payload_hash", s.payloadHash())
                .dml(tx, "live-event-insert");
    }

    /**
     * A new run's row. Its feature (so its tokens and cost count there, once): the event's own, else its parent's
     * (the turn or delegation that spawned it), else the session's current one.
     */
    private String open(DbExecute tx, SpawnerEvent s, String at, WriterState.SessionState session) {
        String id = stamps.newId();
        Optional<DbRow> parentRow = s.parentEventId() == null ? Optional.empty()
                : Params.of("event_id", s.parentEventId()).get(tx, "spawner-parent");
        String parent = parentRow.isPresent() ? s.parentEventId() : null;
        String feature = s.featureId() != null ? s.featureId()
                : parentRow.map(p -> Rows.text(p, "feature_id"))
                        .orElse(session.turnFeature != null ? session.turnFeature : session.feature);
        boolean inserted = events.insert(tx, EventRow.builder().stamped(id, stamps.nextSeq(), stamps.now())
                .session(s.sessionId())
                .agent(s.spawnerType(), null, "").origin("spawner", "SpawnerRun")
                .kind("delegation", "Spawner", s.runId()).under(null, parent)
                .delegation(s.spawnerType(), s.spawnerType()).status(EventStatus.RUNNING.value()).model(s.model())
                .summaries(s.promptPreview(), null).times(at, null, null).payload(s.data(), null).feature(feature)
                .build());
        if (!inserted) { // the session's unique tool use ids hold the run's id already
            throw new BadInputException(ErrorCode.INVALID_FIELD, "'data.run_id' " + s.runId()
                                         + " is the id of a tool call in session " + s.sessionId());
        }
        presence.count(s.sessionId(), at, 1);
        return id;
    }

    /** A completion ends the run; other events only show their latest detail on it. */
    private void update(DbExecute tx, SpawnerEvent s, String runId, String startedAt, String at) {
        boolean complete = s.type() == SpawnerEvent.Type.COMPLETE;
        boolean failed = Boolean.FALSE.equals(s.success());
        Double duration = s.durationSeconds() != null ? s.durationSeconds() : Timestamps.secondsBetween(startedAt, at);
        new Params().with("event_id", runId)
                .with("status", (!complete ? EventStatus.RUNNING : failed ? EventStatus.ERROR : EventStatus.SUCCESS)
                        .value())
                .with("ended_at", complete ? at : null).with("duration", complete ? duration : null)
                .with("output_summary", s.detail()).with("tokens", s.tokens().total())
                .with("input_tokens", s.tokens().input()).with("output_tokens", s.tokens().output())
                .with("cache_read_tokens", s.tokens().cacheRead())
                .with("cache_creation_tokens", s.tokens().cacheCreation()).with("cost_usd", s.costUsd())
                .with("model", s.model()).with("feature_id", s.featureId()).with("seq", stamps.nextSeq())
                .with("now", stamps.now()).dml(tx, "spawner-run-update");
    }
}
