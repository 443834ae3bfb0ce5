package io.htmlgraph.sidecar.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.htmlgraph.sidecar.domain.ErrorCode;
import io.htmlgraph.sidecar.view.Dashboard;

/**
 * The dashboard's login, for a sidecar with a read token: a form that posts the token in the body (never a URL),
 * answered with the {@link LoginCookie} and a redirect to the dashboard.
 * <pre>
 * curl -i -d 'token=READ_TOKEN' http://127.0.0.1:8080/login     # Set-Cookie: htmlgraph_auth=…
 * </pre>
 */
final class LoginService implements HttpService {
    private static final int MAX_FORM = 4096;

    private final Dashboard dashboard;
    private final LoginCookie cookie;
    private final RequestBodies bodies;
    private final Optional<byte[]> readToken;
    private final Optional<byte[]> writeToken;

    LoginService(Dashboard dashboard, LoginCookie cookie, RequestBodies bodies, Optional<String> readToken,
                 Optional<String> writeToken) {
        this.dashboard = dashboard;
        this.cookie = cookie;
        this.bodies = bodies;
        this.readToken = readToken.map(t -> t.getBytes(StandardCharsets.UTF_8));
        this.writeToken = writeToken.map(t -> t.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/login", (req, res) -> Html.send(res, dashboard.login(false)))
             .post("/login", this::postLogin);
    }

    private void postLogin(ServerRequest req, ServerResponse res) {
        byte[] token = token(req).getBytes(StandardCharsets.UTF_8);
        Optional<LoginCookie.Level> level = writeToken.filter(w -> MessageDigest.isEqual(w, token))
                .map(w -> LoginCookie.Level.WRITE)
                .or(() -> readToken.filter(r -> MessageDigest.isEqual(r, token)).map(r -> LoginCookie.Level.READ));
        if (level.isEmpty()) {
            res.status(Status.UNAUTHORIZED_401);
            Html.send(res, dashboard.login(true));
            return;
        }
        res.header(HeaderNames.SET_COOKIE, cookie.setCookie(level.get()));
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.status(Status.SEE_OTHER_303).header(HeaderNames.LOCATION, "/").send();
    }

    /** The {@code token} field of a url-encoded form body (at most 4 KB). */
    private String token(ServerRequest req) {
        byte[] body = bodies.read(req, MAX_FORM, "a login form is at most " + MAX_FORM + " bytes",
                                  ErrorCode.BAD_REQUEST);
        try {
            for (String field : new String(body, StandardCharsets.US_ASCII).split("&")) {
                if (field.startsWith("token=")) {
                    return URLDecoder.decode(field.substring(6), StandardCharsets.UTF_8);
                }
            }
            return "";
        } catch (IllegalArgumentException e) {
            throw new ApiException(Status.BAD_REQUEST_400, ErrorCode.MALFORMED_FORM, "the form is not url-encoded");
        }
    }
}
