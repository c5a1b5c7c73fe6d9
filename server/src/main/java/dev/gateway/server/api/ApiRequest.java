package dev.gateway.server.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

import dev.gateway.server.connection.QueryParameters;

/** One request to the server API: its path parameters, query and JSON body, the body read with a size cap. */
final class ApiRequest {
    private final ServerRequest request;
    private final ObjectMapper mapper;
    private final int maxBodyBytes;

    ApiRequest(ServerRequest request, ObjectMapper mapper, int maxBodyBytes) {
        this.request = request;
        this.mapper = mapper;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** A path parameter ({@code {chatId}}), decoded. */
    String path(String name) {
        return request.path().pathParameters().get(name);
    }

    /** A query parameter; empty when absent or blank. */
    Optional<String> query(String name) {
        return QueryParameters.trimmed(request.query(), name);
    }

    /**
     * The body as a JSON object.
     *
     * @throws ApiError 413 over {@code MAX_FRAME_BYTES}, 400 when it is not a JSON object
     */
    JsonNode body() {
        if (request.headers().contentLength().orElse(0) > maxBodyBytes) {
            throw ApiError.tooLarge("the body", maxBodyBytes);
        }
        byte[] bytes;
        try (InputStream in = request.content().inputStream()) {
            bytes = in.readNBytes(maxBodyBytes + 1);
            if (bytes.length > maxBodyBytes) {
                throw ApiError.tooLarge("the body", maxBodyBytes);
            }
        } catch (IOException e) {
            throw ApiError.validation("body", "could not be read");
        }
        JsonNode body;
        try {
            body = bytes.length == 0 ? null : mapper.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw ApiError.validation("body", "must be a JSON object (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw ApiError.validation("body", "must be a JSON object");
        }
        if (body == null || !body.isObject()) {
            throw ApiError.validation("body", "must be a JSON object");
        }
        return body;
    }

    /** The {@code Authorization} header. */
    Optional<String> authorization() {
        return request.headers().first(HeaderNames.AUTHORIZATION);
    }

    int maxBodyBytes() {
        return maxBodyBytes;
    }
}
