package io.htmlgraph.sidecar.domain;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A feature (htmlgraph's work item: feature, bug, spike, chore, epic, task) as the API shows it, with what it cost:
 * the tokens and USD of every API request and spawner run attributed to it (see README, "Tokens and cost").
 */
public record Feature(String id, String type, String title, String description, String status, String priority,
                      String assignedTo, String trackId, String createdAt, String updatedAt, String completedAt,
                      Usage usage) {

    /** What shipping it has cost so far, in USD (null: nothing reported). */
    @JsonProperty("cost_usd")
    public Double costUsd() {
        return usage.costUsd();
    }

    /** The same with the figures of {@code usage}. */
    public Feature withUsage(Usage figures) {
        return new Feature(id, type, title, description, status, priority, assignedTo, trackId, createdAt, updatedAt,
                           completedAt, figures == null ? Usage.NONE : figures);
    }
}
