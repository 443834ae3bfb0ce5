package io.htmlgraph.sidecar.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Masks secrets in text with the named rules of {@code masking/rules.yaml}. Masking rules are data so that a new
 * credential class is one entry with its own examples, checked by a test. Every rule runs over the original text and
 * the union of all matches is masked: a {@code NAME=value} rule never hides the value from the token rules.
 */
public final class Masker {
    /** What a masked secret is replaced with. */
    public static final String MASK = "[masked]";
    private static final String RESOURCE = "masking/rules.yaml";
    private static final Masker DEFAULT = load(RESOURCE);
    /** A match starts at most this many characters before its keyword (a scheme before '@', a name before '='). */
    private static final int BACK = 120;
    private static final int DEFAULT_MAX_LENGTH = 400;
    private static final int KEY_MEMORY = 4096;
    private static final int KEY_MEMORY_LENGTH = 64;

    private final List<Rule> rules;
    private final List<Rule> tokenRules;
    private final Keywords allKeywords;
    private final Keywords tokenKeywords;
    private final List<String> keyContains;
    private final List<String> keyEndsWith;
    /** Verdicts of {@link #isSecretKey} by key (bounded: a hostile stream of new keys stops adding at the limit). */
    private final Map<String, Boolean> secretKeys = new ConcurrentHashMap<>();
    /** Keys known to hold no token ({@link #keyHasToken}). */
    private final Map<String, Boolean> cleanKeys = new ConcurrentHashMap<>();

    /** One rule: a pattern, the keywords that must occur before it runs, and its examples. */
    record Rule(String name, boolean token, List<String> keywords, Pattern pattern, List<String> secretGroups,
                int maxLength, boolean anchored, List<String> maskExamples, List<String> keepExamples) {
    }

    private Masker(List<Rule> rules, List<String> keyContains, List<String> keyEndsWith) {
        this.rules = List.copyOf(rules);
        this.tokenRules = rules.stream().filter(Rule::token).toList();
        this.allKeywords = new Keywords(this.rules.stream().map(Rule::keywords).toList());
        this.tokenKeywords = new Keywords(tokenRules.stream().map(Rule::keywords).toList());
        this.keyContains = keyContains;
        this.keyEndsWith = keyEndsWith;
    }

    /** The rules shipped in the jar. */
    public static Masker standard() {
        return DEFAULT;
    }

    List<Rule> rules() {
        return rules;
    }

    /** How many rules there are (for the benchmark's report). */
    public int ruleCount() {
        return rules.size();
    }

    /** The text with every secret any rule finds replaced by {@link #MASK}. */
    public String mask(String text) {
        return apply(text, rules, allKeywords, null);
    }

    /** The text with only the token-shaped secrets masked (for ids and names, where context rules misfire). */
    public String maskTokens(String text) {
        return apply(text, tokenRules, tokenKeywords, null);
    }

    /** These rules for one thread at a time, which keeps its matchers from one text to the next. */
    public Reusing reusing() {
        return new Reusing();
    }

    /**
     * {@link #mask} for one thread at a time (an import's): a matcher per rule is made once and reset for each text,
     * and keyword hits are written into one array. A new matcher per text and rule with a keyword in it was about a
     * seventh of what an import allocated (most imported contexts hold a keyword, {@code pat} of
     * {@code file_paths}, of three rules), a new array of hits per text a twentieth (docs/performance.md).
     */
    public final class Reusing {
        private static final int HITS = 256;
        private final Matcher[] matchers = new Matcher[rules.size()];
        private final long[] hits = new long[HITS];

        private Reusing() {
        }

        /** The text with every secret any rule finds replaced by {@link #MASK}, as {@link Masker#mask} does. */
        public String mask(String text) {
            return apply(text, rules, allKeywords, this);
        }
    }

    /** Whether a JSON key names a secret: {@code github_token}, {@code aws_secret_key}, not {@code max_tokens}. */
    public boolean isSecretKey(String key) {
        Boolean known = secretKeys.get(key);
        if (known != null) {
            return known;
        }
        String lower = key.toLowerCase(Locale.ROOT);
        boolean secret = keyEndsWith.stream().anyMatch(lower::endsWith)
                         || keyContains.stream().anyMatch(lower::contains);
        remember(secretKeys, key, secret);
        return secret;
    }

    /**
     * Whether a JSON key is itself (or holds) a token, as {@link #maskTokens} would mask it. Payloads repeat a small
     * vocabulary of keys, so the verdicts for short clean keys are remembered; token-shaped keys never are.
     */
    public boolean keyHasToken(String key) {
        if (cleanKeys.containsKey(key)) {
            return false;
        }
        boolean token = !maskTokens(key).equals(key);
        if (!token) {
            remember(cleanKeys, key, Boolean.TRUE);
        }
        return token;
    }

    /** Remembers a key's verdict while the key is short and the memory holds fewer than {@link #KEY_MEMORY} keys. */
    private static void remember(Map<String, Boolean> memory, String key, Boolean verdict) {
        if (key.length() <= KEY_MEMORY_LENGTH && memory.size() < KEY_MEMORY) {
            memory.putIfAbsent(key, verdict);
        }
    }

    /**
     * Masks {@code text} with {@code rules}, with the matchers and hits array of {@code reused} (null: new ones). Runs
     * only the rules whose keywords occur in the text (and rules without keywords): most texts hold no keyword, and
     * visiting every rule for each of them cost as much as finding the keywords.
     */
    private static String apply(String text, List<Rule> rules, Keywords index, Reusing reused) {
        if (text.length() < 3) {
            return text;
        }
        Spans spans = null;
        for (int r : index.keywordless()) {
            spans = ruleMatches(text, r, rules.get(r), null, 0, 0, reused, spans);
        }
        Keywords.Hits hits = index.occurrences(text, reused == null ? null : reused.hits);
        int from = 0;
        while (from < hits.size()) {
            int r = hits.rule(from);
            int to = hits.to(from, r);
            spans = ruleMatches(text, r, rules.get(r), hits, from, to, reused, spans);
            from = to;
        }
        return spans == null ? text : spans.replace(text);
    }

    /** Adds the matches of rule {@code r} near its keyword hits {@code from..to} (the whole text without keywords). */
    private static Spans ruleMatches(String text, int r, Rule rule, Keywords.Hits hits, int from, int to,
                                     Reusing reused, Spans found) {
        Matcher m = matcher(rule, text, reused, r).useTransparentBounds(true);
        if (!rule.anchored()) {
            return findAround(rule, m, hits, from, to, text.length(), found);
        }
        Spans spans = found;
        for (int i = from; i < to; i++) {
            int at = hits.position(i);
            m.region(at, Math.min(text.length(), at + rule.maxLength())).useAnchoringBounds(false);
            if (m.lookingAt()) {
                spans = add(spans, rule, m);
            }
        }
        return spans;
    }

    /** The rule's matcher over the text: the one kept in {@code reused} reset to it, else a new one (then kept). */
    private static Matcher matcher(Rule rule, String text, Reusing reused, int r) {
        if (reused == null) {
            return rule.pattern().matcher(text);
        }
        Matcher[] kept = reused.matchers;
        kept[r] = kept[r] == null ? rule.pattern().matcher(text) : kept[r].reset(text);
        return kept[r];
    }

    /**
     * Finds the rule's matches around each occurrence of one of its keywords (hits {@code from} to {@code to}): a
     * match starts at most {@link #BACK} characters before its keyword and is at most the rule's {@code max-length}
     * long, and overlapping windows are searched as one. Trying a pattern at every position of a long text costs far
     * more than finding literals.
     */
    private static Spans findAround(Rule rule, Matcher m, Keywords.Hits hits, int from, int to, int length,
                                    Spans spans) {
        if (rule.keywords().isEmpty()) {
            return find(rule, m, 0, length, length, spans);
        }
        Spans found = spans;
        int start = -1;
        int end = -1;
        for (int i = from; i < to; i++) {
            int at = hits.position(i);
            int windowStart = Math.max(0, at - BACK);
            if (start >= 0 && windowStart > end) {
                found = find(rule, m, start, end, length, found);
                start = -1;
            }
            start = start < 0 ? windowStart : start;
            end = (int) Math.min(length, (long) at + rule.maxLength());
        }
        return start < 0 ? found : find(rule, m, start, end, length, found);
    }

    /** Adds every match of the rule in {@code [start, end)} of a text {@code length} long to the spans. */
    private static Spans find(Rule rule, Matcher m, int start, int end, int length, Spans spans) {
        m.region(start, end).useAnchoringBounds(end == length);
        Spans found = spans;
        while (m.find()) {
            found = add(found, rule, m);
        }
        return found;
    }

    /** Adds the match's secret to the spans (made on the first match: most texts have none). */
    private static Spans add(Spans spans, Rule rule, Matcher m) {
        Spans to = spans == null ? new Spans() : spans;
        if (rule.secretGroups().isEmpty()) {
            to.add(m.start(), m.end());
        }
        for (String group : rule.secretGroups()) {
            to.add(m.start(group), m.end(group));
        }
        return to;
    }

    /** Character ranges to mask, merged where they overlap or touch. */
    private static final class Spans {
        private long[] ranges = new long[8];
        private int size;

        void add(int start, int end) {
            if (start < 0 || end <= start) {
                return;
            }
            if (size == ranges.length) {
                ranges = Arrays.copyOf(ranges, size * 2);
            }
            ranges[size++] = ((long) start << 32) | end;
        }

        String replace(String text) {
            if (size == 0) {
                return text;
            }
            Arrays.sort(ranges, 0, size);
            StringBuilder out = new StringBuilder(text.length());
            int copied = 0;
            int i = 0;
            while (i < size) {
                int start = (int) (ranges[i] >>> 32);
                int end = (int) ranges[i];
                for (i++; i < size && (int) (ranges[i] >>> 32) <= end; i++) {
                    end = Math.max(end, (int) ranges[i]);
                }
                out.append(text, copied, start).append(MASK);
                copied = end;
            }
            return out.append(text, copied, text.length()).toString();
        }
    }

    static Masker load(String resource) {
        try (InputStream in = Masker.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the masking rules " + resource + " are missing from the classpath");
            }
            Map<String, Object> root = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
            Map<String, Object> keys = map(root.get("secret-keys"));
            List<Rule> rules = new ArrayList<>();
            for (Object entry : list(root.get("rules"))) {
                rules.add(rule(map(entry)));
            }
            return new Masker(rules, strings(keys.get("contains")), strings(keys.get("ends-with")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Rule rule(Map<String, Object> entry) {
        String name = String.valueOf(entry.get("name"));
        try {
            Pattern pattern = Pattern.compile(String.valueOf(entry.get("pattern")));
            List<String> groups = pattern.namedGroups().keySet().stream().filter(g -> g.startsWith("secret"))
                    .sorted().toList();
            return new Rule(name, "token".equals(entry.get("kind")),
                    strings(entry.get("keywords")).stream().map(k -> k.toLowerCase(Locale.ROOT)).toList(),
                    pattern, groups, entry.get("max-length") instanceof Integer max ? max : DEFAULT_MAX_LENGTH,
                    Boolean.TRUE.equals(entry.get("anchored")),
                    strings(entry.get("mask")), strings(entry.get("keep")));
        } catch (RuntimeException e) {
            throw new IllegalStateException("masking rule '" + name + "' in " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static List<?> list(Object value) {
        return value instanceof List<?> l ? l : List.of();
    }

    private static List<String> strings(Object value) {
        return list(value).stream().map(String::valueOf).toList();
    }
}
