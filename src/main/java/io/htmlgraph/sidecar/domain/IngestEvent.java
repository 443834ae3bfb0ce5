package io.htmlgraph.sidecar.domain;

import java.time.Instant;

/**
 * One validated, normalised hook event, ready for the store: ids checked, text masked and truncated, summaries made.
 *
 * @param source          where it came from: {@code hook}, {@code envelope}, {@code demo}
 * @param at              when it happened (receipt time unless the source gave one)
 * @param agentKey        Claude's {@code agent_id} inside a subagent, {@code ""} for the main agent
 * @param subagentType    for a delegation ({@code Agent}/{@code Task}): {@code tool_input.subagent_type}
 * @param durationMs      the client's measured tool duration, if sent
 * @param waitingReason   set when the event means the agent now waits for a human
 * @param asyncLaunched   a delegation that runs in the background ({@code tool_response.status = async_launched})
 * @param sessionFacts    session-level facts (source, model, cwd, …) to record, possibly empty
 * @param payload         the stored raw payload: masked, size-capped JSON; null for a call's start whose end came in
 *                        the same request ({@link CallPairs}), whose row is stored with the end's
 * @param payloadHash     SHA-256 of {@link #payload}, to drop redeliveries; null for a step of a tool call with a
 *                        {@code tool_use_id}, whose redeliveries that id finds (the hash was a fifth of a batch's
 *                        Java samples on the request threads: SHA-256 runs in Java under the C1-only JIT)
 * @param featureId       the feature the event is for: payload {@code feature_id}, else header
 *                        {@code X-Htmlgraph-Feature}; null leaves the session's active feature
 * @param agentTranscript a subagent's {@code agent_transcript_path}, if sent
 */
public record IngestEvent(String source,
                          Instant at,
                          String sessionId,
                          String hookEventName,
                          HookKind kind,
                          String agentKey,
                          String agentType,
                          String toolName,
                          String toolUseId,
                          String promptId,
                          String subagentType,
                          String model,
                          String inputSummary,
                          String outputSummary,
                          Long durationMs,
                          String waitingReason,
                          boolean asyncLaunched,
                          SessionFacts sessionFacts,
                          String payload,
                          String payloadHash,
                          String featureId,
                          String agentTranscript) implements Ingested {

    /** Tool names of a delegation to a subagent: {@code Agent} now, {@code Task} in older clients. */
    public boolean isDelegation() {
        return "Agent".equals(toolName) || "Task".equals(toolName);
    }

    /** This event with its payload, written after it was made (see {@link CallPairs}). */
    public IngestEvent withPayload(String written) {
        return new IngestEvent(source, at, sessionId, hookEventName, kind, agentKey, agentType, toolName, toolUseId,
                promptId, subagentType, model, inputSummary, outputSummary, durationMs, waitingReason, asyncLaunched,
                sessionFacts, written, payloadHash, featureId, agentTranscript);
    }

    /** Whether the event was sent from inside a subagent. */
    public boolean inSubagent() {
        return !agentKey.isEmpty();
    }

    /** Session-level facts carried by some events; any may be null. */
    public record SessionFacts(String source, String model, String cwd, String transcriptPath,
                               String permissionMode, String endReason, String sourceApp) {
        public static final SessionFacts NONE = new SessionFacts(null, null, null, null, null, null, null);
    }
}
