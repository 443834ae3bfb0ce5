package io.htmlgraph.sidecar.correlate;

import io.helidon.dbclient.DbTransaction;

/**
 * What a maintenance task on the writer thread works with: the writer's transaction, and the change sequence for
 * the rows it changes (so that live clients and cursors see them).
 */
record Maintenance(DbTransaction tx, Correlator correlator) {
    long nextSeq() {
        return correlator.nextSeq();
    }

    String now() {
        return correlator.now();
    }
}
