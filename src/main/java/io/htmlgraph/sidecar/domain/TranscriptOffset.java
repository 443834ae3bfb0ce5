package io.htmlgraph.sidecar.domain;

/** How far a transcript file has been read, stored with the usage read from it (one transaction). */
public record TranscriptOffset(String path, String sessionId, String agentKey, long offset, String fileKey,
                               String headHash) implements UsageItem {
}
