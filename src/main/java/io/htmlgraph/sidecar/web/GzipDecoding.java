package io.htmlgraph.sidecar.web;

import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.zip.GZIPInputStream;

import io.helidon.http.encoding.ContentDecoder;
import io.helidon.http.encoding.ContentEncoder;
import io.helidon.http.encoding.ContentEncoding;

/**
 * Request bodies sent with {@code Content-Encoding: gzip} (OTLP exporters compress by default), decoded as they are
 * read; every route reads at most its size limit of the decoded bytes, so a zip bomb ends in 413. Without this,
 * Helidon refuses such requests outright. Responses are never compressed.
 */
public final class GzipDecoding implements ContentEncoding {
    @Override
    public Set<String> ids() {
        return Set.of("gzip", "x-gzip");
    }

    @Override
    public boolean supportsEncoding() {
        return false;
    }

    @Override
    public boolean supportsDecoding() {
        return true;
    }

    @Override
    public ContentDecoder decoder() {
        return LazyGzip::new;
    }

    @Override
    public ContentEncoder encoder() {
        return ContentEncoder.NO_OP;
    }

    @Override
    public String name() {
        return "gzip";
    }

    @Override
    public String type() {
        return "gzip";
    }

    /** Reads the gzip header on first read, in the handler's thread, so a bad header is the handler's 400. */
    private static final class LazyGzip extends InputStream {
        private final InputStream raw;
        private InputStream gzip;

        LazyGzip(InputStream raw) {
            this.raw = raw;
        }

        private InputStream gzip() throws IOException {
            if (gzip == null) {
                gzip = new GZIPInputStream(raw, 16384);
            }
            return gzip;
        }

        @Override
        public int read() throws IOException {
            return gzip().read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return gzip().read(b, off, len);
        }

        @Override
        public void close() throws IOException {
            if (gzip != null) {
                gzip.close();
            } else {
                raw.close();
            }
        }
    }
}
