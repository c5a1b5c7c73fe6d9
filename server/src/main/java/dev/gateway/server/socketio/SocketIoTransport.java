package dev.gateway.server.socketio;

import java.util.Set;
import java.util.function.UnaryOperator;

import dev.gateway.protocol.event.CloseCode;
import dev.gateway.protocol.event.SocketIoCodec;
import dev.gateway.server.client.OutboundFrame;
import dev.gateway.server.client.Transport;
import dev.gateway.server.websocket.WsTransport;

/**
 * A {@link Transport} that speaks Socket.IO over a {@link WsTransport} or a {@link PollingSession} (HTTP long-polling,
 * which moves to a WebSocket when the client upgrades). The gateway queues native frames
 * ({@code {"event":...}}); this writes each as its Socket.IO packet, translated once per frame for every Socket.IO
 * recipient ({@link OutboundFrame#translated}). Packets the Socket.IO edge queues itself (an Engine.IO pong, never
 * starting with {@code '{'}) go out as they are.
 * <p>
 * Close mapping: the WebSocket is closed with the gateway's close code in every case. For the terminal codes (4403
 * operator, 4429 rate limit) a Socket.IO DISCONNECT ({@code 41}) goes first, so socket.io-client reports
 * {@code "io server disconnect"} and does not reconnect by itself; for the others (1001 shutdown, 4401 token expired,
 * 4408 presence expired, 4503 slow consumer, 1009, 1011) the client sees {@code "transport close"} and reconnects with
 * its own backoff, as a native client is told to.
 */
final class SocketIoTransport implements Transport {
    private static final OutboundFrame PING = new OutboundFrame(SocketIoCodec.PING);
    private static final OutboundFrame DISCONNECT = new OutboundFrame(SocketIoCodec.DISCONNECT);
    private static final Set<Integer> TERMINAL = Set.of(CloseCode.DISCONNECTED_BY_OPERATOR.code(), CloseCode.RATE_LIMITED.code());

    private final Transport ws;
    private final UnaryOperator<String> translation;
    private volatile OutboundFrame connectAnswer;

    SocketIoTransport(Transport ws, SocketIoCodec codec) {
        this.ws = ws;
        this.translation = codec.translation();
    }

    /**
     * The CONNECT answer ({@code 40{"sid":...}}) to write before anything else the client is sent: the gateway's first
     * frames ({@code connected}, {@code presence:bulk-online}) are queued while the client is being opened.
     */
    void answerConnectFirst(String packet) {
        connectAnswer = new OutboundFrame(packet);
    }

    @Override
    public void sendText(OutboundFrame frame) throws Exception {
        writeConnectAnswer();
        ws.sendText(frame.text().startsWith("{") ? frame.translated(translation) : frame);
    }

    /** An Engine.IO ping: the Socket.IO heartbeat and the sweeper's idle ping both come here. */
    @Override
    public void sendPing() throws Exception {
        writeConnectAnswer();
        ws.sendText(PING);
    }

    @Override
    public void sendPong(byte[] payload) throws Exception {
        ws.sendPong(payload); // a WebSocket-level ping from the client (none over polling)
    }

    @Override
    public void sendClose(int code, String reason) throws Exception {
        if (TERMINAL.contains(code)) {
            try {
                ws.sendText(DISCONNECT);
            } catch (Exception ignored) {
                // the close below reports the failure
            }
        }
        ws.sendClose(code, reason);
    }

    @Override
    public void abort() {
        ws.abort();
    }

    @Override
    public boolean isOpen() {
        return ws.isOpen();
    }

    @Override
    public String remoteAddress() {
        return ws.remoteAddress();
    }

    /** Only the outbox writer calls this (one at a time), so the answer goes out exactly once. */
    private void writeConnectAnswer() throws Exception {
        OutboundFrame answer = connectAnswer;
        if (answer != null) {
            connectAnswer = null;
            ws.sendText(answer);
        }
    }
}
