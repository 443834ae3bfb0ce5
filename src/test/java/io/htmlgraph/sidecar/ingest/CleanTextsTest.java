package io.htmlgraph.sidecar.ingest;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** The hook path's memory of clean texts answers exactly as the rules do, however often a text comes. */
class CleanTextsTest {
    @Test
    void rememberedTexts_neverChangeAnAnswer_evenPastTheMemorysSize() {
        CleanTexts texts = new CleanTexts(Masker.load("masking/rules.yaml"));
        String secret = "export DB_PASSWORD=" + "hunter2hunter2";
        String token = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";
        String longClean = "/home/dev/app/" + "src/".repeat(80) + "File.java"; // past the length it remembers
        for (int i = 0; i < 5000; i++) { // past the memory's size: it starts over on the way
            String clean = "/home/dev/app/src/File" + i + ".java";
            assertThat(texts.mask(clean), is(clean));
            assertThat(texts.mask(new String(clean)), is(clean));
            assertThat(texts.maskTokens(clean), is(clean));
            assertThat(texts.mask(secret), is("export DB_PASSWORD=[masked]"));
            assertThat(texts.maskTokens(secret), is(secret)); // a context rule's secret: no token
            assertThat(texts.mask(secret), is("export DB_PASSWORD=[masked]"));
            assertThat(texts.maskTokens(token), is("[masked]"));
            assertThat(texts.mask(token), is("[masked]"));
            assertThat(texts.mask(longClean + " " + token), is(longClean + " [masked]"));
        }
    }
}
