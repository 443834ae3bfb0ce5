package io.htmlgraph.sidecar.domain;

/** The feature a session works on from now on (null clears it): its new events and their usage count for it. */
public record ActiveFeature(String sessionId, String featureId) implements UsageItem {
}
