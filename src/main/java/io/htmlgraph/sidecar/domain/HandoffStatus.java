package io.htmlgraph.sidecar.domain;

/**
 * The {@code status} of a row of {@code agent_collaboration}, htmlgraph's own handoff table, kept in htmlgraph's words
 * so that its files import as they are. Never answered as such: a route shows a delegation's {@link EventStatus}
 * ({@link #asEventStatus}).
 */
public enum HandoffStatus implements Vocabulary {
    PENDING, ACCEPTED, REJECTED, COMPLETED, FAILED;

    /** How a finished delegation closes its handoff. */
    public static HandoffStatus closing(String delegationStatus) {
        return EventStatus.ERROR.is(delegationStatus) ? FAILED : COMPLETED;
    }

    /** The delegation status a handoff stands for (imported handoffs have no delegation row to ask). */
    public EventStatus asEventStatus() {
        return switch (this) {
            case PENDING, ACCEPTED -> EventStatus.RUNNING;
            case COMPLETED -> EventStatus.SUCCESS;
            case REJECTED, FAILED -> EventStatus.ERROR;
        };
    }
}
