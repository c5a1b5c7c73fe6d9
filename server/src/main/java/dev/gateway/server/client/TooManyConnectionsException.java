package dev.gateway.server.client;

/**
 * A handshake refused because its user already has {@code MAX_SOCKETS_PER_USER} live sockets on all nodes together
 * (PROTOCOL section 4, "Caps"). Expected in normal operation: nothing was written to Redis for it.
 */
public final class TooManyConnectionsException extends Exception {
    public TooManyConnectionsException(String userId, int maxSocketsPerUser) {
        super("user " + userId + " has " + maxSocketsPerUser + " sockets already", null, false, false);
    }
}
