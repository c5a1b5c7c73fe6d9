package dev.gateway.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A backend calling the server API of one node (PROTOCOL section 9) with the JDK's HttpClient: JSON in and out, the
 * key as {@code Authorization: Bearer}, or another key or none for the refusals. Every request is bounded (10 s).
 */
public final class ApiClient {
    /** The key the API tests configure ({@code GATEWAY_API_KEY}, at least 32 bytes). */
    public static final String KEY = "integration-tests-api-key-0123456789-abcdef";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final URI base;
    private final Optional<String> authorization;

    private ApiClient(URI base, Optional<String> authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    /** The API on a node's {@code PORT}, with the test key. */
    public static ApiClient of(GatewayProcess node) {
        return at(node.port());
    }

    /** The API on a port of 127.0.0.1 (an {@code API_PORT}), with the test key. */
    public static ApiClient at(int port) {
        return new ApiClient(URI.create("http://127.0.0.1:" + port), Optional.of("Bearer " + KEY));
    }

    /** The same API with another {@code Authorization} header, or none. */
    public ApiClient authorization(Optional<String> header) {
        return new ApiClient(base, header);
    }

    /** What an answer was. */
    public record Answer(int status, String body) {
        public JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (JsonProcessingException e) {
                throw new AssertionError("not JSON (status " + status + "): " + body, e);
            }
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    public Answer get(String path) {
        return send("GET", path, Optional.empty());
    }

    public Answer delete(String path) {
        return send("DELETE", path, Optional.empty());
    }

    public Answer put(String path) {
        return send("PUT", path, Optional.empty());
    }

    /** POST with a body written as JSON (a String is sent as it is). */
    public Answer post(String path, Object body) {
        return send("POST", path, Optional.of(body instanceof String text ? text : json(body)));
    }

    public Answer send(String method, String path, Optional<String> body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
                .method(method, body.map(text -> HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8))
                        .orElse(HttpRequest.BodyPublishers.noBody()));
        body.ifPresent(text -> request.header("Content-Type", "application/json"));
        authorization.ifPresent(value -> request.header("Authorization", value));
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String json(Object body) {
        try {
            return MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
