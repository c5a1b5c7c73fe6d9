package dev.gateway.server.websocket;

import dev.gateway.server.client.DisconnectReason;
import dev.gateway.server.client.Transport;

/**
 * What one WebSocket connection's traffic goes to once {@link WsAdapter} has made sense of Helidon's callbacks:
 * whole messages (fragments joined, the size cap enforced), and the connection's end. Pings are answered by the
 * adapter; close frames by the connection. Free of Helidon types, so both protocols above it (native, Socket.IO) are tested
 * without a server. Every call comes from the connection's one reader thread, in order.
 */
public interface WsHandler {
    /** The upgrade completed: {@code transport} writes to this connection. Comes first. */
    void opened(Transport transport);

    /** One whole text message. */
    void text(String message);

    /** One whole binary message (the gateway never needs its bytes). */
    void binary();

    /** A message grew past the size cap: the connection closed with 1009. */
    void tooBig();

    /** Any frame arrived (pings and pongs included): the peer is alive. */
    default void activity() {
    }

    /** The peer sent a close frame (already answered). */
    void closed(int code);

    /**
     * The connection ended without the peer's close frame: it dropped ({@link DisconnectReason#CONNECTION_LOST}), or
     * the connection closed it for a protocol violation ({@code PROTOCOL_ERROR} 1002, {@code INVALID_PAYLOAD} 1007).
     */
    void lost(DisconnectReason reason, String why);
}
