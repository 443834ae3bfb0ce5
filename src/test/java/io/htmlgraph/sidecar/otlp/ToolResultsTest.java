package io.htmlgraph.sidecar.otlp;

import java.nio.file.Path;
import java.util.Map;

import io.htmlgraph.sidecar.Hooks;
import io.htmlgraph.sidecar.TestSidecar;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * A tool call's row looks for a tool result only once the store holds one (the writer skips the lookup before the
 * first, and must know of the stored ones after a restart).
 */
class ToolResultsTest {
    @Test
    void aToolResultStoredBeforeARestart_isAppliedWhenItsCallArrivesAfterIt() {
        Path db;
        try (TestSidecar s = TestSidecar.start()) {
            s.hooks(OtlpIngestTest.prompt("r-tool", "p-r", "Go"),
                    Hooks.pre("r-tool", "Bash", "toolu_a", Hooks.bash("ls")).toString());
            assertThat(call(s, "r-tool", "toolu_a"), is("started null"));
            OtlpIngestTest.postJson(s, "/v1/logs", new Otlp().event("r-tool", "tool_result", Map.of("tool_name",
                    "Grep", "tool_use_id", "toolu_b", "success", "true", "duration_ms", "40")).json());
            db = s.db();
        }
        try (TestSidecar s = TestSidecar.reopen(db)) {
            s.hooks(Hooks.pre("r-tool", "Grep", "toolu_b", Hooks.bash("x")).toString());
            assertThat(call(s, "r-tool", "toolu_b"), is("success 0.04"));
        }
    }

    @Test
    void theFirstToolResult_isAppliedToACallThatArrivesLater_inTheSameRun() {
        try (TestSidecar s = TestSidecar.start()) {
            s.hooks(OtlpIngestTest.prompt("f-tool", "p-f", "Go"),
                    Hooks.pre("f-tool", "Bash", "toolu_c", Hooks.bash("ls")).toString());
            OtlpIngestTest.postJson(s, "/v1/logs", new Otlp().event("f-tool", "tool_result", Map.of("tool_name",
                    "Grep", "tool_use_id", "toolu_d", "success", "false", "duration_ms", "1500")).json());
            s.hooks(Hooks.pre("f-tool", "Grep", "toolu_d", Hooks.bash("x")).toString());
            assertThat(call(s, "f-tool", "toolu_d"), is("error 1.5"));
        }
    }

    private static String call(TestSidecar s, String session, String toolUseId) {
        return OtlpIngestTest.call(path -> s.get(path).json(), session, toolUseId, "status",
                "execution_duration_seconds");
    }
}
