package io.htmlgraph.sidecar.domain;

/**
 * What Claude Code's own telemetry and transcripts tell the store beside the hooks: API usage and errors, tool
 * results, the request each tool call came from, prompt links, metric points, how far a transcript was read, a
 * session's active feature. One sealed family, so the single writer applies them in one place
 * ({@code store.UsageLedger}).
 */
public sealed interface UsageItem extends Ingested
        permits UsageRecord, ToolResult, ToolCallRequest, PromptLink, MetricPoint, TranscriptOffset, ActiveFeature {
}
