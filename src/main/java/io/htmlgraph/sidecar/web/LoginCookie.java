package io.htmlgraph.sidecar.web;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;

/**
 * The dashboard's login: once a browser has shown a token at {@code POST /login}, it holds a cookie that proves it
 * for this sidecar's lifetime, so the token itself never travels in a URL (where logs and Referer headers would keep
 * it). The cookie holds an HMAC of the access level under a key made at start, not the token: it is worthless to
 * another sidecar and after a restart. HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it).
 */
final class LoginCookie {
    static final String NAME = "htmlgraph_auth";

    /** What the cookie lets a browser do. */
    enum Level { READ, WRITE }

    private final byte[] key = new byte[32];
    private final String read;
    private final String write;

    LoginCookie() {
        new SecureRandom().nextBytes(key);
        read = sign("read");
        write = sign("write");
    }

    /** The {@code Set-Cookie} value for a browser that showed a token of this level. */
    String setCookie(Level level) {
        return NAME + "=" + (level == Level.WRITE ? write : read) + "; Path=/; HttpOnly; SameSite=Strict";
    }

    /** The level the request's cookie proves, if any. */
    Optional<Level> level(Headers headers) {
        for (String header : headers.all(HeaderNames.COOKIE, java.util.List::of)) {
            for (String part : header.split(";")) {
                String cookie = part.trim();
                if (cookie.startsWith(NAME + "=")) {
                    byte[] value = cookie.substring(NAME.length() + 1).getBytes(StandardCharsets.US_ASCII);
                    if (MessageDigest.isEqual(value, write.getBytes(StandardCharsets.US_ASCII))) {
                        return Optional.of(Level.WRITE);
                    }
                    if (MessageDigest.isEqual(value, read.getBytes(StandardCharsets.US_ASCII))) {
                        return Optional.of(Level.READ);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private String sign(String level) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(level.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }
}
