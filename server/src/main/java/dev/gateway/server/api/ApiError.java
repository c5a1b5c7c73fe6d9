package dev.gateway.server.api;

import java.util.LinkedHashMap;
import java.util.Map;

import io.helidon.http.Status;

/**
 * A refusal of the server API, with the status and body of PROTOCOL section 9: 400 {@code validation} (the message
 * names the field), 401 {@code unauthorized} (no detail), 404 {@code not_found}, 413 {@code too_large}, 503
 * {@code unavailable}. Expected outcomes: no stack trace is ever filled in or logged.
 */
final class ApiError extends RuntimeException {
    private final Status status;
    private final String error;

    private ApiError(Status status, String error, String message) {
        super(message, null, false, false);
        this.status = status;
        this.error = error;
    }

    /** 400; {@code field} starts the message, as in the WebSocket protocol's VALIDATION. */
    static ApiError validation(String field, String problem) {
        return new ApiError(Status.BAD_REQUEST_400, "validation", field + " " + problem);
    }

    /** 400 with a message from elsewhere that names its field already. */
    static ApiError validation(String message) {
        return new ApiError(Status.BAD_REQUEST_400, "validation", message);
    }

    static ApiError unauthorized() {
        return new ApiError(Status.UNAUTHORIZED_401, "unauthorized", null);
    }

    static ApiError notFound() {
        return new ApiError(Status.NOT_FOUND_404, "not_found", null);
    }

    static ApiError notFound(String message) {
        return new ApiError(Status.NOT_FOUND_404, "not_found", message);
    }

    static ApiError tooLarge(String what, int limit) {
        return new ApiError(Status.REQUEST_ENTITY_TOO_LARGE_413, "too_large", what + " is larger than MAX_FRAME_BYTES (" + limit
                + " bytes)");
    }

    static ApiError unavailable() {
        return new ApiError(Status.SERVICE_UNAVAILABLE_503, "unavailable", null);
    }

    static ApiError unavailable(String message) {
        return new ApiError(Status.SERVICE_UNAVAILABLE_503, "unavailable", message);
    }

    static ApiError internal() {
        return new ApiError(Status.INTERNAL_SERVER_ERROR_500, "internal", null);
    }

    Status status() {
        return status;
    }

    /** {@code {"error": ..., "message"?: ...}} */
    Map<String, String> body() {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", error);
        if (getMessage() != null) {
            body.put("message", getMessage());
        }
        return body;
    }
}
