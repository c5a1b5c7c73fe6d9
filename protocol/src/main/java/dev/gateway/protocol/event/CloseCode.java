package dev.gateway.protocol.event;

import java.time.Duration;

/**
 * WebSocket close codes the gateway uses (PROTOCOL section 3).
 * <p>
 * "Reconnect" codes tell a client to connect again (with backoff); "terminal" codes tell it that
 * reconnecting with the same credentials or behaviour will fail again.
 */
public enum CloseCode {
    /** Normal closure, by either side. Reconnect only if the application wants to. */
    NORMAL(1000),
    /** The node is shutting down. Reconnect (another node will take the socket). */
    GOING_AWAY(1001),
    /** A frame broke RFC 6455 (framing, fragmentation, control frames, close codes). Terminal: a client bug. */
    PROTOCOL_ERROR(1002),
    /** A text message or close reason was not valid UTF-8. Terminal: a client bug. */
    INVALID_PAYLOAD(1007),
    /**
     * The Socket.IO edge refused a connection for breaking its rules (an undecodable Engine.IO packet, a second
     * concurrent poll, no CONNECT in time, an upgrade of an upgraded session, the connection cap). Terminal.
     */
    POLICY_VIOLATION(1008),
    /** A message exceeded {@code MAX_FRAME_BYTES}. Terminal for that message. */
    MESSAGE_TOO_BIG(1009),
    /** Unexpected server condition. Reconnect. */
    INTERNAL_ERROR(1011),
    /** The token expired and no {@code auth:refresh} replaced it. Reconnect with a fresh token. */
    TOKEN_EXPIRED(4401),
    /** An operator disconnected the socket ({@code gatewayctl disconnect}). Terminal. */
    DISCONNECTED_BY_OPERATOR(4403),
    /** No {@code presence:ping} within the presence TTL. Reconnect. */
    PRESENCE_EXPIRED(4408),
    /** Kept exceeding the rate limit. Reconnect after backing off. */
    RATE_LIMITED(4429),
    /** The socket's outbound queue overflowed: the client did not read fast enough. Reconnect. */
    SLOW_CONSUMER(4503);

    /**
     * How long a peer has to answer a close the server sent before its connection is dropped: one figure for the
     * WebSocket connection, the Socket.IO session and the client's lifecycle, so that no layer gives up before another.
     */
    public static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    private final int code;

    CloseCode(int code) {
        this.code = code;
    }

    /** The numeric code sent in the close frame. */
    public int code() {
        return code;
    }
}
