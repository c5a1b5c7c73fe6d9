package dev.gateway.server.client;

import java.util.List;

/**
 * The wire under one client connection. Only the client's {@link Outbox} writer calls the sending methods, one at a
 * time; {@link #abort()} and {@link #isOpen()} may be called from any thread.
 */
public interface Transport {
    /** Sends one text message; blocks while the peer is not reading. */
    void sendText(OutboundFrame frame) throws Exception;

    /**
     * Sends several text messages, in order. A transport that can should write them at once (one system call instead
     * of one per message, which is most of a delivery's cost when frames queue up for a busy socket).
     */
    default void sendTexts(List<OutboundFrame> frames) throws Exception {
        for (OutboundFrame frame : frames) {
            sendText(frame);
        }
    }

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
