package io.htmlgraph.sidecar.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.zip.GZIPOutputStream;

import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.htmlgraph.sidecar.domain.ErrorCode;

/**
 * The dashboard's static files, read from the classpath once at start and kept gzipped too: our script and style
 * ({@code static/}) and htmx from its WebJar (the version the build put in {@code build.properties}).
 * <pre>
 * curl -s --compressed http://127.0.0.1:8080/static/htmx.min.js | head -c 100
 * </pre>
 */
final class StaticFiles implements HttpService {
    private static final HttpMediaType JS = HttpMediaType.create("text/javascript; charset=UTF-8");
    private static final HttpMediaType CSS = HttpMediaType.create("text/css; charset=UTF-8");

    /** One file: its bytes plain and gzipped. */
    record File(HttpMediaType type, byte[] plain, byte[] gzipped) {
    }

    private final Map<String, File> files;

    StaticFiles() {
        String htmx = "META-INF/resources/webjars/htmx.org/" + htmxVersion() + "/dist/htmx.min.js";
        files = Map.of("app.js", load("static/app.js", JS), "app.css", load("static/app.css", CSS),
                "htmx.min.js", load(htmx, JS));
    }

    /** The file served as {@code /static/<name>}, if any. */
    File file(String name) {
        return files.get(name);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/static/{name}", this::getFile);
    }

    private void getFile(ServerRequest req, ServerResponse res) {
        String name = req.path().pathParameters().get("name");
        File file = files.get(name);
        if (file == null) {
            throw new ApiException(Status.NOT_FOUND_404, ErrorCode.NOT_FOUND, "no static file '" + name + "'");
        }
        boolean gzip = req.headers().first(HeaderNames.ACCEPT_ENCODING).map(a -> a.contains("gzip")).orElse(false);
        Html.headers(res);
        res.headers().contentType(file.type());
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.header(HeaderNames.VARY, "Accept-Encoding");
        if (gzip) {
            res.header(HeaderNames.CONTENT_ENCODING, "gzip");
        }
        res.send(gzip ? file.gzipped() : file.plain());
    }

    private static File load(String resource, HttpMediaType type) {
        try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource + " (is the htmx WebJar on the path?)");
            }
            byte[] plain = in.readAllBytes();
            ByteArrayOutputStream zipped = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
                gz.write(plain);
            }
            return new File(type, plain, zipped.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String htmxVersion() {
        try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream("build.properties")) {
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("htmx.version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
