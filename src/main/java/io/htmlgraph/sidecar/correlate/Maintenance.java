package io.htmlgraph.sidecar.correlate;

import io.helidon.dbclient.DbTransaction;

/**
 * What a maintenance task on the writer thread works with: the writer's transaction, and the change sequence for
 * the rows it changes (so that live clients and cursors see them).
 */
record Maintenance(DbTransaction tx, Stamps stamps) {
    long nextSeq() {
        return stamps.nextSeq();
    }

    String now() {
        return stamps.now();
    }
}
