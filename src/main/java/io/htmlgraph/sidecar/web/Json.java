package io.htmlgraph.sidecar.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import io.htmlgraph.sidecar.domain.ErrorCode;

/** The one JSON mapper of the HTTP layer: records become snake_case objects, as htmlgraph's API spells them. */
public final class Json {
    private final ObjectMapper mapper;

    public Json(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** A mapper that writes {@code eventId} as {@code event_id}. */
    public static ObjectMapper mapper() {
        return new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    }

    public void send(ServerResponse res, Status status, Object body) {
        res.status(status);
        sendBytes(res, bytes(body));
    }

    /** Sends JSON already written. */
    public void sendBytes(ServerResponse res, byte[] json) {
        res.headers().contentType(MediaTypes.APPLICATION_JSON);
        res.send(json);
    }

    /** The value as JSON. */
    public byte[] bytes(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a response as JSON", e);
        }
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
