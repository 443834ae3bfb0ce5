package io.htmlgraph.sidecar.domain;

/** A feature's {@code status} on the kanban, as htmlgraph's {@code features} table spells it. */
public enum FeatureStatus implements Vocabulary {
    TODO, IN_PROGRESS, BLOCKED, DONE, CANCELLED
}
