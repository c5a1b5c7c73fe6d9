package dev.gateway.server.client;

import java.util.Locale;

import dev.gateway.protocol.event.CloseCode;
import dev.gateway.protocol.event.OfflineReason;

/**
 * Why a socket ended: the close code the server sends (if it closes), the presence reason its user's
 * {@code presence:offline} carries if it was the last socket, and the tag of the disconnect metric.
 */
public enum DisconnectReason {
    /** The client sent a close frame. */
    CLIENT_CLOSED(CloseCode.NORMAL, OfflineReason.DISCONNECTED),
    /** The TCP connection ended without a close frame, or stopped answering. */
    CONNECTION_LOST(CloseCode.NORMAL, OfflineReason.DISCONNECTED),
    /** This node is shutting down. */
    SHUTDOWN(CloseCode.GOING_AWAY, OfflineReason.DISCONNECTED),
    /** The token expired without a refresh. */
    TOKEN_EXPIRED(CloseCode.TOKEN_EXPIRED, OfflineReason.DISCONNECTED),
    /** {@code gatewayctl disconnect}. */
    OPERATOR(CloseCode.DISCONNECTED_BY_OPERATOR, OfflineReason.DISCONNECTED),
    /** No {@code presence:ping} within the TTL. */
    PRESENCE_EXPIRED(CloseCode.PRESENCE_EXPIRED, OfflineReason.EXPIRED),
    /** Kept exceeding the rate limit. */
    RATE_LIMITED(CloseCode.RATE_LIMITED, OfflineReason.DISCONNECTED),
    /** The outbound queue overflowed. */
    SLOW_CONSUMER(CloseCode.SLOW_CONSUMER, OfflineReason.DISCONNECTED),
    /** A message exceeded the size cap. */
    MESSAGE_TOO_BIG(CloseCode.MESSAGE_TOO_BIG, OfflineReason.DISCONNECTED),
    /** A frame broke RFC 6455; the connection closed it (1002). */
    PROTOCOL_ERROR(CloseCode.PROTOCOL_ERROR, OfflineReason.DISCONNECTED),
    /** Invalid UTF-8 in a text message or close reason; the connection closed it (1007). */
    INVALID_PAYLOAD(CloseCode.INVALID_PAYLOAD, OfflineReason.DISCONNECTED),
    /** The socket could not be registered (Redis failed between the handshake and the open). */
    UNAVAILABLE(CloseCode.INTERNAL_ERROR, OfflineReason.DISCONNECTED);

    private final CloseCode closeCode;
    private final OfflineReason presenceReason;

    DisconnectReason(CloseCode closeCode, OfflineReason presenceReason) {
        this.closeCode = closeCode;
        this.presenceReason = presenceReason;
    }

    public CloseCode closeCode() {
        return closeCode;
    }

    public OfflineReason presenceReason() {
        return presenceReason;
    }

    /** The metric and log tag, such as {@code presence-expired}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
