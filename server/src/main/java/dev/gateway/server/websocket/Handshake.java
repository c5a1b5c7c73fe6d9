package dev.gateway.server.websocket;

import dev.gateway.server.auth.Principal;

/** The outcome of checking an upgrade request: accepted with who connects, or refused with an HTTP answer. */
public sealed interface Handshake {

    /**
     * @param deviceId   the query's {@code deviceId}, else the token's, else {@code default}
     * @param deviceName the query's {@code deviceName}, may be empty
     */
    record Accepted(Principal principal, String deviceId, String deviceName, String userAgent) implements Handshake {
    }

    /**
     * @param status HTTP status: 401, 403 or 503
     * @param body   JSON body of the contract
     * @param why    for the log line (never the token)
     * @param count  counts the refusal in the metrics
     */
    record Refused(int status, String body, String why, Runnable count) implements Handshake {
    }
}
