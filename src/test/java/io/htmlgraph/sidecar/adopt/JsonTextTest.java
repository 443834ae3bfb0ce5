package io.htmlgraph.sidecar.adopt;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** A context's {@code is_error}, read as a stream, means what the parsed tree's {@code asBoolean} said it meant. */
class JsonTextTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final JsonText json = new JsonText(MAPPER);

    @Test
    void flag_readsAsTheTreeDid() {
        List<String> contexts = List.of(
                "{\"file_paths\": [], \"tool_input_keys\": [\"command\"], \"is_error\": false}",
                "{\"is_error\": true}", "{\"is_error\": 1}", "{\"is_error\": 0}",
                "{\"is_error\": 12345678901234567890}",
                "{\"is_error\": 1.5}", "{\"is_error\": \"true\"}", "{\"is_error\": \" true \"}",
                "{\"is_error\": \"yes\"}", "{\"is_error\": null}", "{\"is_error\": {\"is_error\": true}}",
                "{\"is_error\": [true]}", "{\"nested\": {\"is_error\": true}}", "{\"a\": [{\"is_error\": true}]}",
                "{\"is_error\": true, \"is_error\": false}", "{\"is_error\": false, \"is_error\": true}",
                "{\"is_error\": true, \"cut\": \"…[truncated", "{\"is_error\": true,}", "{\"is_error\": true} trailing",
                "[{\"is_error\": true}]", "{}", "{", "not json", "",
                // where the scan before the parser decides: spacing, nested and repeated names, the name as text
                "{\"is_error\" :\tfalse }", "{\"is_error\"\n:\r\ntrue}", "{\"is_error\": -1}", "{\"is_error\": nul}",
                "{\"a\": {\"is_error\": false}, \"is_error\": true}", "{\"is_error\": [], \"b\": {\"is_error\": {}}}",
                "{\"s\": \"is_error\", \"is_error\": true}", "{\"is_error\": false, \"s\": \"\\\"is_error\\\": true\"}",
                "{\"is\\u005ferror\": true, \"x\": {\"is_error\": false}}",
                "{\"is_error\": false, \"is\\u005ferror\": 1}", "{\"is_error\"}", "{\"is_error\": ");
        for (String context : contexts) {
            assertThat(context, json.flag(context, "is_error"), is(treeFlag(context)));
        }
        assertThat(json.flag("{\"is_error\": true}", "is_error"), is(true));
        assertThat(json.flag("{\"is_error\": true, \"cut\": \"…[truncated", "is_error"), is(false));
        assertThat(json.flag(null, "is_error"), is(false));
    }

    /** How the importer read the flag before: the whole text parsed as a tree. */
    private boolean treeFlag(String text) {
        return json.object(text).map(c -> c.path("is_error").asBoolean(false)).orElse(false);
    }
}
