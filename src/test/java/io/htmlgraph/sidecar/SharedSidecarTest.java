package io.htmlgraph.sidecar;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Base of test classes whose tests share one real sidecar (each test uses its own session ids). */
public abstract class SharedSidecarTest {
    protected static TestSidecar sidecar;

    @BeforeAll
    static void startSharedSidecar() {
        sidecar = TestSidecar.start();
    }

    @AfterAll
    static void stopSharedSidecar() {
        sidecar.close();
    }
}
