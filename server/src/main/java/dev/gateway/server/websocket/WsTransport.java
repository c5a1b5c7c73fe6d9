package dev.gateway.server.websocket;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import dev.gateway.server.client.DisconnectReason;
import dev.gateway.server.client.OutboundFrame;
import dev.gateway.server.client.Transport;
import dev.gateway.server.connection.WebSocketConnection;

import io.helidon.common.buffers.BufferData;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsCloseException;
import io.helidon.websocket.WsSession;

/**
 * A {@link Transport} over the gateway's {@link WebSocketConnection} (the session every WebSocket listener of this
 * server gets). The connection writes one frame at a time and bounds how long a write waits for another, so this
 * class only translates: text frames go out as their pre-encoded bytes, shared by every recipient; the client's single
 * {@code Outbox} writer is the only regular caller. The connection tells its listener when TCP drops, and
 * {@link #isOpen()} is its own state. Created by {@link WsAdapter} for every connection, native or Socket.IO.
 */
public final class WsTransport implements Transport {
    private final WebSocketConnection connection;
    private final String remoteAddress;

    /**
     * @throws IllegalArgumentException when the session is not the gateway's connection (the server's wiring is wrong)
     */
    public WsTransport(WsSession session, String remoteAddress) {
        if (!(session instanceof WebSocketConnection webSocket)) {
            throw new IllegalArgumentException("not the gateway's WebSocket connection: " + session.getClass().getName());
        }
        this.connection = webSocket;
        this.remoteAddress = remoteAddress;
    }

    /**
     * What ended a connection, from the error its listener was given: a protocol violation the connection closed
     * (1002, 1007, 1009), else a lost connection.
     */
    public static DisconnectReason disconnectReason(Throwable error) {
        if (error instanceof WsCloseException close) {
            return switch (close.closeCode()) {
                case WsCloseCodes.PROTOCOL_ERROR -> DisconnectReason.PROTOCOL_ERROR;
                case WsCloseCodes.NOT_CONSISTENT -> DisconnectReason.INVALID_PAYLOAD;
                case WsCloseCodes.TOO_BIG -> DisconnectReason.MESSAGE_TOO_BIG;
                default -> DisconnectReason.CONNECTION_LOST;
            };
        }
        return DisconnectReason.CONNECTION_LOST;
    }

    @Override
    public void sendText(OutboundFrame frame) throws IOException {
        try {
            connection.sendFrame(frame.wire()); // the same bytes for every recipient: no per-socket encoding
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public void sendTexts(List<OutboundFrame> frames) throws IOException {
        byte[][] wire = new byte[frames.size()][];
        for (int i = 0; i < wire.length; i++) {
            wire[i] = frames.get(i).wire();
        }
        try {
            connection.sendFrames(wire);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public void sendPing() throws IOException {
        try {
            connection.ping(BufferData.empty());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public void sendPong(byte[] payload) throws IOException {
        try {
            connection.pong(BufferData.create(payload));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Sends the close frame (nothing when one was sent already); the connection drops TCP if the peer never answers. */
    @Override
    public void sendClose(int code, String reason) throws IOException {
        try {
            connection.close(code, reason);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public void abort() {
        connection.abort();
    }

    @Override
    public boolean isOpen() {
        return connection.isOpen();
    }

    @Override
    public String remoteAddress() {
        return remoteAddress;
    }
}
