package io.htmlgraph.sidecar.adopt;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.htmlgraph.sidecar.domain.FeatureStatus;
import io.htmlgraph.sidecar.domain.HandoffStatus;
import io.htmlgraph.sidecar.domain.ImportBatch;
import io.htmlgraph.sidecar.domain.Vocabulary;
import io.htmlgraph.sidecar.ingest.TextCleaner;
import io.htmlgraph.sidecar.store.HtmlgraphFile;
import io.htmlgraph.sidecar.store.SourceRow;

/**
 * Maps rows of one source table to an {@link ImportBatch}: sessions in either shape (canonical
 * {@code created_at/completed_at}, hybrid {@code started_at/ended_at/continued_from}), events, features, tracks
 * and delegations, with enumerations checked against ours (an unknown value becomes the default).
 */
final class TableMapper {
    private static final Set<String> ENDED = Set.of("completed", "ended", "failed", "abandoned", "closed", "stopped");
    private static final Set<String> WORK_STATUS = Vocabulary.values(FeatureStatus.class);
    private static final Set<String> PRIORITY = Set.of("low", "medium", "high", "critical");
    private static final Set<String> FEATURE_TYPE = Set.of("feature", "bug", "spike", "chore", "epic", "task");
    private static final Set<String> HANDOFF_TYPE = Set.of("delegation", "parallel", "sequential", "fallback");
    private static final Set<String> HANDOFF_STATUS = Vocabulary.values(HandoffStatus.class);
    /** The columns each table's mapping reads: only these are read from the file (a row reading another fails). */
    static final Map<String, Set<String>> COLUMNS = Map.of(
            "sessions", Set.of("session_id", "agent_assigned", "start_commit", "continued_from", "status",
                               "transcript_path", "started_at", "ended_at", "created_at", "completed_at"),
            "agent_events", Set.of("event_id", "session_id", "agent_id", "event_type", "tool_name", "status",
                                   "input_summary", "output_summary", "context", "parent_event_id", "subagent_type",
                                   "model", "timestamp", "created_at", "execution_duration_seconds"),
            "features", Set.of("id", "type", "title", "description", "status", "priority", "assigned_to", "track_id",
                               "parent_feature_id", "created_at", "updated_at", "completed_at"),
            "tracks", Set.of("track_id", "title", "description", "priority", "status", "created_at", "updated_at",
                             "completed_at"),
            "agent_collaboration", Set.of("handoff_id", "from_agent", "to_agent", "timestamp", "feature_id",
                                          "session_id", "handoff_type", "status", "reason", "context", "result"));
    /** Columns whose numbers mean something (epoch times, durations): read with their SQLite type, not as text. */
    static final Set<String> TYPED = Set.of("timestamp", "created_at", "updated_at", "started_at", "ended_at",
                                            "completed_at", "execution_duration_seconds");

    private final RowMapper rows;
    private final TextCleaner cleaner;
    private final JsonText json;

    TableMapper(RowMapper rows, TextCleaner cleaner, JsonText json) {
        this.rows = rows;
        this.cleaner = cleaner;
        this.json = json;
    }

    /** How a row of {@code table} is mapped. */
    Function<SourceRow, Object> rowsOf(String table) {
        return switch (table) {
            case "sessions" -> this::session;
            case "agent_events" -> rows::event;
            case "features" -> this::feature;
            case "tracks" -> this::track;
            case "agent_collaboration" -> this::handoff;
            default -> throw new IllegalArgumentException("not an imported table: " + table);
        };
    }

    /**
     * The batch of rows of {@code table}, mapped by {@link #rowsOf}, that moves its cursor from {@code fromRowid} to
     * the last one read.
     */
    static ImportBatch batch(String source, String identity, String table, long fromRowid,
                             HtmlgraphFile.Read<Object> read, long rowsRead) {
        List<Object> mapped = read.rows();
        return new ImportBatch(source, identity, table, fromRowid, read.lastRowid(), read.lastKey(), rowsRead,
                               only(mapped, ImportBatch.Session.class), only(mapped, ImportBatch.Event.class),
                               only(mapped, ImportBatch.Feature.class), only(mapped, ImportBatch.Track.class),
                               only(mapped, ImportBatch.Handoff.class));
    }

    /** The mapped rows when they are of {@code type} (a table's rows all map to one type), else none. */
    private static <T> List<T> only(List<Object> mapped, Class<T> type) {
        return type.isInstance(mapped.get(0)) ? mapped.stream().map(type::cast).toList() : List.of();
    }

    private ImportBatch.Session session(SourceRow r) {
        String ended = rows.optionalTime(r, "ended_at", "completed_at");
        boolean isEnded = ended != null || ENDED.contains(RowMapper.lower(r.text("status")));
        return new ImportBatch.Session(RowMapper.sessionId(r.text("session_id")), r.text("agent_assigned"),
                r.text("start_commit"), r.text("continued_from"), isEnded, r.text("transcript_path"),
                rows.optionalTime(r, "started_at", "created_at"), ended);
    }

    private ImportBatch.Feature feature(SourceRow r) {
        String id = RowMapper.id(r.text("id") != null ? r.text("id") : "feature-" + r.rowid());
        String title = r.text("title");
        String created = rows.time(r, "created_at", null);
        return new ImportBatch.Feature(id, oneOf(r.text("type"), FEATURE_TYPE, "feature"),
                cleaner.text(title != null ? title : id), cleaner.text(r.text("description")),
                oneOf(r.text("status"), WORK_STATUS, FeatureStatus.TODO.value()), oneOf(r.text("priority"), PRIORITY,
                        "medium"),
                r.text("assigned_to"), r.text("track_id"), r.text("parent_feature_id"), created,
                rows.optionalTime(r, "updated_at", "created_at"), rows.optionalTime(r, "completed_at", null));
    }

    private ImportBatch.Track track(SourceRow r) {
        String id = RowMapper.id(r.text("track_id") != null ? r.text("track_id") : "track-" + r.rowid());
        String title = r.text("title");
        return new ImportBatch.Track(id, cleaner.text(title != null ? title : id),
                cleaner.text(r.text("description")), oneOf(r.text("priority"), PRIORITY, "medium"),
                oneOf(r.text("status"), WORK_STATUS, FeatureStatus.TODO.value()), rows.time(r, "created_at", null),
                rows.time(r, "updated_at", "created_at"), rows.optionalTime(r, "completed_at", null));
    }

    /** A delegation whose target is missing or "unknown" takes it from its stored context or reason. */
    private ImportBatch.Handoff handoff(SourceRow r) {
        String to = r.text("to_agent");
        if (to == null || "unknown".equalsIgnoreCase(to)) {
            String context = r.text("context");
            String reason = r.text("reason");
            String found = context == null ? null : RowMapper.delegationTarget(context, json);
            found = found == null && reason != null ? RowMapper.delegationTarget(reason, json) : found;
            to = found != null ? found : "unknown";
        }
        String session = r.text("session_id");
        return new ImportBatch.Handoff(RowMapper.id(r.text("handoff_id") != null ? r.text("handoff_id")
                : "handoff-" + r.rowid()), r.text("from_agent") != null ? r.text("from_agent") : "claude-code", to,
                rows.time(r, "timestamp", null), r.text("feature_id"),
                session == null ? null : RowMapper.sessionId(session),
                oneOf(r.text("handoff_type"), HANDOFF_TYPE, "delegation"),
                oneOf(r.text("status"), HANDOFF_STATUS, HandoffStatus.PENDING.value()), cleaner.text(r.text("reason")),
                cleaner.payload(r.text("context")), cleaner.payload(r.text("result")));
    }

    private static String oneOf(String value, Set<String> allowed, String otherwise) {
        String lower = RowMapper.lower(value);
        return allowed.contains(lower) ? lower : otherwise;
    }
}
