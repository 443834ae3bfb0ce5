package io.htmlgraph.sidecar.domain;

/**
 * A session as {@code /api/sessions} shows it: htmlgraph's fields, then ours. {@code status} is
 * {@code active}, {@code idle} (no event for the configured idle time) or {@code ended}.
 */
public record SessionView(String sessionId,
                          String agent,
                          String continuedFrom,
                          String startedAt,
                          String status,
                          String startCommit,
                          String endedAt,
                          String lastEventAt,
                          long totalEvents,
                          String model,
                          String source,
                          String endReason,
                          String sourceApp,
                          String cwd) {
}
