package dev.gateway.server.socketio;

import java.util.Optional;

import dev.gateway.server.websocket.Handshake;

/**
 * What a Socket.IO session knows of the HTTP request that opened it, to decide its CONNECT packet: the handshake
 * request's headers ({@code Origin}, {@code Authorization}, {@code User-Agent}) and query ({@code access_token},
 * {@code deviceId}), behind the same checks as a native upgrade.
 */
public interface Credentials {
    /** The checks that need no token: Origin (403) and this node's ability to take a socket (503). */
    Optional<Handshake.Refused> admit();

    /**
     * Verifies the token: the CONNECT packet's {@code auth.token} when given, else the request's
     * {@code Authorization} header, else its {@code access_token} query parameter.
     */
    Handshake authenticate(Optional<String> token);

    /** The refusal of a user who has {@code MAX_SOCKETS_PER_USER} sockets already. */
    Handshake.Refused tooManyConnections(String userId);

    /** Counts and logs a refusal, as the native endpoint does. */
    void record(Handshake.Refused refused);
}
