package dev.gateway.server.client;

/**
 * The wire under one client connection. Only the client's {@link Outbox} writer calls the sending methods, one at a
 * time; {@link #abort()} and {@link #isOpen()} may be called from any thread.
 */
public interface Transport {
    /** Sends one text message; blocks while the peer is not reading. */
    void sendText(OutboundFrame frame) throws Exception;

    /** Sends a WebSocket ping. */
    void sendPing() throws Exception;

    /** Answers a WebSocket ping with its payload. */
    void sendPong(byte[] payload) throws Exception;

    /** Sends the close frame. Nothing is sent after it. */
    void sendClose(int code, String reason) throws Exception;

    /** Drops the connection at once, without waiting for the peer (slow consumers, half-open connections). */
    void abort();

    /** False once the connection is gone, whichever side ended it (including a TCP drop without a close frame). */
    boolean isOpen();

    /** The peer's IP address. */
    String remoteAddress();
}
