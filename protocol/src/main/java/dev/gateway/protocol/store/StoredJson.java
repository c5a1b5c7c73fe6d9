package dev.gateway.protocol.store;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The JSON of values kept in Redis (connection records, presence entries, node records, presence changes): each store
 * owns one, so no store serves as another's codec. A value that cannot be read is reported as unreadable data in
 * Redis, not as a bad request.
 */
final class StoredJson {
    private final ObjectMapper mapper;

    StoredJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    <T> T read(String json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable " + type.getSimpleName() + " in Redis", e);
        }
    }
}
