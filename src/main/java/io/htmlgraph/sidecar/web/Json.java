package io.htmlgraph.sidecar.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import io.htmlgraph.sidecar.domain.ErrorCode;

/** The one JSON mapper of the HTTP layer: records become snake_case objects, as htmlgraph's API spells them. */
public final class Json {
    /** A reader thread keeps its buffer while answers stay this small (the grouped feed's page: about 160 KB). */
    private static final int KEPT_BUFFER_BYTES = 256 * 1024;
    private static final ThreadLocal<ByteArrayOutputStream> BUFFERS =
            ThreadLocal.withInitial(() -> new ByteArrayOutputStream(64 * 1024));

    private final ObjectMapper mapper;
    /** Writes to a stream without closing it. */
    private final ObjectWriter appender;

    public Json(ObjectMapper mapper) {
        this.mapper = mapper;
        this.appender = mapper.writer().without(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    }

    /**
     * A mapper that writes {@code eventId} as {@code event_id}, reading records' accessors through generated lambdas
     * (Blackbird) instead of reflection, which under the launcher's C1-only JIT was a third of the JSON's CPU.
     */
    public static ObjectMapper mapper() {
        return new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .registerModule(new BlackbirdModule());
    }

    public void send(ServerResponse res, Status status, Object body) {
        res.status(status);
        sendBytes(res, bytes(body));
    }

    /** Sends JSON already written. */
    public void sendBytes(ServerResponse res, byte[] json) {
        res.headers().contentType(MediaTypes.APPLICATION_JSON);
        ResponseBodies.send(res, json);
    }

    /** The value as JSON. */
    public byte[] bytes(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a response as JSON", e);
        }
    }

    /** Writes the value as JSON to the stream, which is left open. */
    public void write(Object value, OutputStream out) {
        try {
            appender.writeValue(out, value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a response as JSON", e);
        }
    }

    /**
     * The value as JSON, written into a buffer the calling platform thread keeps (the read pool's few threads), so
     * an answer costs one copy of itself instead of Jackson's growing segments plus their copy
     * (docs/performance.md: allocation per read request). On a virtual thread, as {@link #bytes}.
     */
    public byte[] bytesOnReader(Object value) {
        if (Thread.currentThread().isVirtual()) {
            return bytes(value);
        }
        ByteArrayOutputStream out = BUFFERS.get();
        out.reset();
        try {
            mapper.writeValue(out, value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a response as JSON", e);
        }
        byte[] json = out.toByteArray();
        if (json.length > KEPT_BUFFER_BYTES) {
            BUFFERS.remove();
        }
        return json;
    }

    public void send(ServerResponse res, Object body) {
        send(res, Status.OK_200, body);
    }

    /** The error body every endpoint uses: {@code {"error": "...", "detail": "..."}}. */
    public void error(ServerResponse res, Status status, ErrorCode error, String detail) {
        send(res, status, new ErrorBody(error.code(), detail));
    }

    private record ErrorBody(String error, String detail) {
    }
}
