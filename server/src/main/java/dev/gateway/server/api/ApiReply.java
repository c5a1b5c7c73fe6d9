package dev.gateway.server.api;

import java.util.Optional;

import io.helidon.http.Status;

/**
 * What an endpoint answers: a status and a body written as JSON (none for 204).
 *
 * @param body any value Jackson writes
 */
record ApiReply(Status status, Optional<Object> body) {
    static ApiReply ok(Object body) {
        return new ApiReply(Status.OK_200, Optional.of(body));
    }

    static ApiReply noContent() {
        return new ApiReply(Status.NO_CONTENT_204, Optional.empty());
    }
}
