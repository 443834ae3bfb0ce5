package io.htmlgraph.sidecar.domain;

/**
 * Why an agent waits for a human ({@code agents.waiting_reason}): a permission prompt, or a question / idle prompt
 * ({@code input}). The agent waits until its next tool event.
 */
public enum WaitingReason implements Vocabulary {
    PERMISSION, INPUT
}
