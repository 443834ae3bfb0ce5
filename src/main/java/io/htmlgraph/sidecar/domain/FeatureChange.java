package io.htmlgraph.sidecar.domain;

import java.time.Instant;

/**
 * Creates a feature (kanban card) or updates the fields given (null = unchanged).
 *
 * @param create whether the feature is new ({@code POST}) rather than changed ({@code PATCH})
 */
public record FeatureChange(Instant at, String id, boolean create, String title, String type, String description,
                            String status, String priority, String assignedTo) implements Ingested {
}
