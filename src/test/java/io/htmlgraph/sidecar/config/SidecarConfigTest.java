package io.htmlgraph.sidecar.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SidecarConfigTest {
    @Test
    void defaults_areTheDocumentedOnes() {
        SidecarConfig config = SidecarConfig.withOverrides(Map.of());
        assertThat(config.host(), is("127.0.0.1"));
        assertThat(config.port(), is(8080));
        assertThat(config.adminHost(), is("0.0.0.0"));
        assertThat(config.adminPort(), is(9464));
        assertThat(config.db().toString(), is("./data/htmlgraph.db"));
        assertThat(config.writeToken().isPresent(), is(false));
        assertThat(config.idleAfter(), is(Duration.ofMinutes(10)));
        assertThat(config.loopbackOnly(), is(true));
        assertThat(config.retention().isPresent(), is(false));
        assertThat(config.logFormat(), is("text"));
        assertThat(config.minFreeDiskBytes(), is(100L << 20));
        assertThat(config.shutdownGrace(), is(Duration.ofSeconds(10)));
        assertThat(config.heapReturnAfter().orElseThrow(), is(Duration.ofSeconds(5)));
        assertThat(config.backupDir().toString(), is(Path.of("./data/htmlgraph.db").toAbsolutePath().getParent()
                                                          .resolve("backups").toString()));
    }

    @Test
    void operationsKeys_parseSizesDurationsAndChoices() {
        SidecarConfig config = SidecarConfig.withOverrides(Map.of("retention", "30d", "min-free-disk", "2GB",
                                                                  "log.format", "JSON", "log.level", "debug"));
        assertThat(config.retention().orElseThrow(), is(Duration.ofDays(30)));
        assertThat(config.minFreeDiskBytes(), is(2L << 30));
        assertThat(config.logFormat(), is("json"));
        assertThat(SidecarConfig.withOverrides(Map.of("retention", "off")).retention().isPresent(), is(false));
        assertThat(SidecarConfig.withOverrides(Map.of("heap-return-after", "off")).heapReturnAfter().isPresent(),
                   is(false));
        assertMessage(Map.of("heap-return-after", "soon"), "htmlgraph.heap-return-after (env "
                + "HTMLGRAPH_HEAP_RETURN_AFTER): not a positive duration like 15s, 10m or 2h: 'soon'");
        assertMessage(Map.of("retention", "forever"), "htmlgraph.retention (env HTMLGRAPH_RETENTION): "
                                                      + "not a positive duration like 15s, 10m or 2h: 'forever'");
        assertMessage(Map.of("min-free-disk", "lots"), "htmlgraph.min-free-disk (env HTMLGRAPH_MIN_FREE_DISK): "
                                                       + "not a size like 100MB, 2GB or 0: 'lots'");
        assertMessage(Map.of("log.format", "xml"), "htmlgraph.log.format (env HTMLGRAPH_LOG_FORMAT): "
                                                   + "must be one of text, json: 'xml'");
    }

    @Test
    void environmentVariables_mapToTheirKeys() {
        Map<String, String> values = SidecarConfig.fromEnvironment(Map.of("HTMLGRAPH_ADMIN_PORT", "9999",
                "HTMLGRAPH_WRITE_TOKEN", "t", "HTMLGRAPH_MAX_BODY_BYTES", "10", "PATH", "/bin"));
        assertThat(values, is(Map.of("htmlgraph.admin.port", "9999", "htmlgraph.write-token", "t",
                                     "htmlgraph.max-body-bytes", "10")));
    }

    @Test
    void badValues_failWithTheKeyAndItsVariable() {
        assertMessage(Map.of("port", "eighty"), "htmlgraph.port (env HTMLGRAPH_PORT): not a whole number: 'eighty'");
        assertMessage(Map.of("admin.port", "70000"),
                      "htmlgraph.admin.port (env HTMLGRAPH_ADMIN_PORT): must be 0..65535 (0 = any free port),"
                      + " got 70000");
        assertMessage(Map.of("idle-after", "soon"), "htmlgraph.idle-after (env HTMLGRAPH_IDLE_AFTER): "
                                                    + "not a positive duration like 15s, 10m or 2h: 'soon'");
        assertMessage(Map.of("demo", "maybe"), "htmlgraph.demo (env HTMLGRAPH_DEMO): not a boolean: 'maybe'");
        assertMessage(Map.of("max-body-bytes", "0"),
                      "htmlgraph.max-body-bytes (env HTMLGRAPH_MAX_BODY_BYTES): must be 1..2147483647, got 0");
        assertMessage(Map.of("host", "bad host!"), "htmlgraph.host (env HTMLGRAPH_HOST): "
                                                   + "not a host name or address: 'bad host!'");
    }

    private static void assertMessage(Map<String, String> overrides, String message) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                                                () -> SidecarConfig.withOverrides(overrides));
        assertThat(e.getMessage(), is(message));
    }
}
