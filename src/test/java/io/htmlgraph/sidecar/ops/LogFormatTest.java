package io.htmlgraph.sidecar.ops;

import java.util.logging.Level;
import java.util.logging.LogRecord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/** The two log formats: one JSON object per line, or one readable line; stack traces only at debug. */
class LogFormatTest {
    @Test
    void json_isOneObjectPerLine_withTimeLevelLoggerMessage_andTheErrorInOneField() throws Exception {
        LogRecord record = new LogRecord(Level.WARNING, "store said \"no\"\nsecond line");
        record.setLoggerName("io.htmlgraph.sidecar.store.EventWriter");
        record.setThrown(new IllegalStateException("disk full", new RuntimeException("ENOSPC")));
        String line = new JsonLogFormatter(false).format(record);
        assertThat(line, endsWith("}\n"));
        assertThat(line.strip(), not(containsString("\n")));
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.get("level").asText(), is("WARNING"));
        assertThat(json.get("logger").asText(), is("io.htmlgraph.sidecar.store.EventWriter"));
        assertThat(json.get("message").asText(), is("store said \"no\"\nsecond line"));
        assertThat(json.get("time").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), is(true));
        assertThat(json.get("error").asText(),
                   is("IllegalStateException: disk full; caused by RuntimeException: ENOSPC"));
        assertThat(json.has("stack_trace"), is(false));
        assertThat(new ObjectMapper().readTree(new JsonLogFormatter(true).format(record)).get("stack_trace")
                           .asText(), containsString("\tat "));
    }

    @Test
    void text_summarisesAThrowableOnTheSameLine_unlessDebug() {
        LogRecord record = new LogRecord(Level.SEVERE, "failed");
        record.setLoggerName("x");
        record.setThrown(new IllegalStateException("boom"));
        String line = new TextLogFormatter(false).format(record);
        assertThat(line, endsWith(" SEVERE x: failed (IllegalStateException: boom)" + System.lineSeparator()));
        assertThat(new TextLogFormatter(true).format(record), containsString("\tat "));
    }
}
