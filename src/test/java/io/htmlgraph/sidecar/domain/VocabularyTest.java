package io.htmlgraph.sidecar.domain;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

class VocabularyTest {
    /** {@code status = 'x'}, {@code status <> 'x'}, {@code status IN ('x', 'y')} in SQL. */
    private static final Pattern STATUS_SQL =
            Pattern.compile("status\\s*(?:=|<>|!=|IN)\\s*\\(?((?:'[a-z_]+'\\s*,?\\s*)+)\\)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern WORD = Pattern.compile("'([a-z_]+)'");

    @Test
    void everyStatusTheSqlComparesWith_isAWordOfTheVocabulary() throws IOException {
        Set<String> words = new HashSet<>();
        words.addAll(Vocabulary.values(EventStatus.class));
        words.addAll(Vocabulary.values(SessionStatus.class));
        words.addAll(Vocabulary.values(AgentStatus.class));
        words.addAll(Vocabulary.values(FeatureStatus.class));
        words.addAll(Vocabulary.values(HandoffStatus.class));
        Set<String> unknown = new TreeSet<>();
        Set<String> seen = new TreeSet<>();
        for (String resource : new String[] {"/db/statements.yaml", "/db/migration/1.sql"}) {
            Matcher m = STATUS_SQL.matcher(read(resource));
            while (m.find()) {
                Matcher w = WORD.matcher(m.group(1));
                while (w.find()) {
                    seen.add(w.group(1));
                    if (!words.contains(w.group(1))) {
                        unknown.add(w.group(1));
                    }
                }
            }
        }
        assertThat(seen, hasItems("started", "running", "success", "error", "active", "ended"));
        assertThat("status words in the SQL that no domain vocabulary defines", unknown, is(empty()));
    }

    @Test
    void delegationOnEveryRoute_readsAsTheEventStatus_evenFromAnImportedHandoff() {
        assertThat(HandoffStatus.COMPLETED.asEventStatus(), is(EventStatus.SUCCESS));
        assertThat(HandoffStatus.FAILED.asEventStatus(), is(EventStatus.ERROR));
        assertThat(HandoffStatus.PENDING.asEventStatus(), is(EventStatus.RUNNING));
        assertThat(HandoffStatus.closing("error"), is(HandoffStatus.FAILED));
        assertThat(HandoffStatus.closing("success"), is(HandoffStatus.COMPLETED));
    }

    private static String read(String resource) throws IOException {
        try (InputStream in = VocabularyTest.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
