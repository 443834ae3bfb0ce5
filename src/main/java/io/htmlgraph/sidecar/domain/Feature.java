package io.htmlgraph.sidecar.domain;

/** A feature (htmlgraph's work item: feature, bug, spike, chore, epic, task) as the API shows it. */
public record Feature(String id, String type, String title, String description, String status, String priority,
                      String assignedTo, String trackId, String createdAt, String updatedAt, String completedAt) {
}
