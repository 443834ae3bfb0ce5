package io.htmlgraph.sidecar.domain;

import java.util.List;

/**
 * Rows read from one table of an htmlgraph database file, already mapped to our vocabulary, and the cursor they
 * advance: the store applies both in one transaction, so an import stopped anywhere resumes without loss or
 * duplicate. Ids are derived from the source's, so applying a batch twice changes nothing.
 *
 * @param source   the source file's absolute path (the cursor's key)
 * @param identity what the file was when read (inode, schema): a different one means the file was replaced
 * @param table    the source table read
 * @param fromRowid the cursor the batch continues from (0: the table's start), which the store checks: a batch
 *                 queued behind one that failed does not skip that one's rows
 * @param lastRowid the source rowid the cursor moves to
 * @param lastKey  the key (event id, session id …) of the row at {@code lastRowid}: another one there means the
 *                 table was emptied and refilled
 * @param rowsRead rows read from this table so far, this batch included
 */
public record ImportBatch(String source, String identity, String table, long fromRowid, long lastRowid, String lastKey,
                          long rowsRead,
                          List<Session> sessions, List<Event> events, List<Feature> features, List<Track> tracks,
                          List<Handoff> handoffs) implements Ingested {

    /** The source rows the batch carries. */
    public int rows() {
        return sessions.size() + events.size() + features.size() + tracks.size() + handoffs.size();
    }

    /** What an imported event row does in the store. */
    public enum Role {
        /** A user prompt: opens a turn. */
        TURN,
        /** {@code Stop}: closes the session's open turn. */
        TURN_END,
        /** A tool call's start ({@code PreToolUse}). */
        TOOL_START,
        /** A tool call's result ({@code PostToolUse}): completes its start, or is a whole call on its own. */
        TOOL_RESULT,
        /** Anything else: kept as a record. */
        RECORD
    }

    /** A session, from either of htmlgraph's {@code sessions} shapes; times in our format, either may be null. */
    public record Session(String sessionId, String agent, String startCommit, String continuedFrom, boolean ended,
                          String transcriptPath, String startedAt, String endedAt) {
    }

    /**
     * One source event row.
     *
     * @param sourceParentId our id for the row's {@code parent_event_id} (may point at nothing: checked on apply)
     * @param fingerprint    tool, agent and normalised input: rows of one tool call share it
     * @param duration       the source's own duration in seconds when it measured one, else null
     */
    public record Event(String eventId, Role role, String sessionId, String agentId, String agentKey,
                        String hookEventName, String eventType, String toolName, String subagentType, String status,
                        String model, String inputSummary, String outputSummary, String timestamp, Double duration,
                        String sourceParentId, String fingerprint, String payload) {
    }

    /** A feature (kanban card); enumerations already checked against ours. */
    public record Feature(String id, String type, String title, String description, String status, String priority,
                          String assignedTo, String trackId, String parentFeatureId, String createdAt,
                          String updatedAt, String completedAt) {
    }

    /** A track of features. */
    public record Track(String trackId, String title, String description, String priority, String status,
                        String createdAt, String updatedAt, String completedAt) {
    }

    /** A delegation record of {@code agent_collaboration}, its target resolved. */
    public record Handoff(String handoffId, String fromAgent, String toAgent, String timestamp, String featureId,
                          String sessionId, String handoffType, String status, String reason, String context,
                          String result) {
    }
}
