package io.htmlgraph.sidecar.domain;

import java.time.Instant;

/** {@code claude_code.user_prompt}: the prompt id of the session's turn opened at that time. */
public record PromptLink(String sessionId, String promptId, Instant at) implements UsageItem {
}
