package io.htmlgraph.sidecar.ingest;

import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands the placeholders of the masking rules' examples ({@code {alnum:36}}, {@code {hex:32}}, …) into generated
 * characters, the same for the same seed, so that examples state token lengths instead of spelling tokens out.
 */
public final class SecretExamples {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(alnum|hex|b64|upper|lower|digits):(\\d{1,4})}");
    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private SecretExamples() {
    }

    public static String expand(String example, long seed) {
        Random random = new Random(seed);
        Matcher m = PLACEHOLDER.matcher(example);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(chars(m.group(1), Integer.parseInt(m.group(2)), random)));
        }
        return m.appendTail(out).toString();
    }

    private static String chars(String kind, int n, Random random) {
        String alphabet = switch (kind) {
            case "hex" -> "0123456789abcdef";
            case "b64" -> ALNUM + "+/";
            case "upper" -> "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
            case "lower" -> "abcdefghijklmnopqrstuvwxyz0123456789";
            case "digits" -> "0123456789";
            default -> ALNUM;
        };
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }
}
