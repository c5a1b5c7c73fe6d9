package dev.gateway.server.socketio;

import java.util.Set;
import java.util.function.UnaryOperator;

import dev.gateway.protocol.event.CloseCode;
import dev.gateway.protocol.event.SocketIoCodec;
import dev.gateway.server.client.OutboundFrame;
import dev.gateway.server.client.Transport;

/**
 * The {@link Transport} of a Socket.IO client: its {@link EngineIoSession}. The gateway queues native frames
 * ({@code {"event":...}}); this writes each as its Socket.IO packet, translated once per frame for every Socket.IO
 * recipient ({@link OutboundFrame#translated}). Packets the Socket.IO layer queues itself (never starting with
 * {@code '{'}) go out as they are.
 * <p>
 * Close mapping: over a WebSocket the close frame carries the gateway's close code in every case. For the terminal
 * codes (4403 operator, 4429 rate limit) a Socket.IO DISCONNECT ({@code 41}) goes first, so socket.io-client reports
 * {@code "io server disconnect"} and does not reconnect by itself; for the others (1001 shutdown, 4401 token expired,
 * 4408 presence expired, 4503 slow consumer, 1009, 1011) the client sees {@code "transport close"} and reconnects with
 * its own backoff, as a native client is told to. Liveness is the Engine.IO heartbeat's: the sweeper's idle pings and
 * WebSocket-level pongs are not needed here.
 */
final class SocketIoTransport implements Transport {
    private static final OutboundFrame DISCONNECT = new OutboundFrame(SocketIoCodec.DISCONNECT);
    private static final Set<Integer> TERMINAL = Set.of(CloseCode.DISCONNECTED_BY_OPERATOR.code(), CloseCode.RATE_LIMITED.code());

    private final EngineIoSession session;
    private final UnaryOperator<String> translation;
    private volatile OutboundFrame connectAnswer;

    /** @param connectAnswer the CONNECT answer ({@code 40{"sid":...}}), written before anything else the client is sent */
    SocketIoTransport(EngineIoSession session, SocketIoCodec codec, String connectAnswer) {
        this.session = session;
        this.translation = codec.translation();
        this.connectAnswer = new OutboundFrame(connectAnswer);
    }

    @Override
    public void sendText(OutboundFrame frame) throws Exception {
        writeConnectAnswer();
        session.send(frame.text().startsWith("{") ? frame.translated(translation) : frame);
    }

    @Override
    public void sendPing() throws Exception {
        writeConnectAnswer(); // the Engine.IO heartbeat pings; the sweeper's idle ping only flushes the answer
    }

    @Override
    public void sendPong(byte[] payload) {
        // WebSocket pings are answered by the WebSocket adapter
    }

    @Override
    public void sendClose(int code, String reason) throws Exception {
        writeConnectAnswer();
        if (TERMINAL.contains(code)) {
            try {
                session.send(DISCONNECT);
            } catch (Exception ignored) {
                // the close below reports the failure
            }
        }
        session.close(code, reason);
    }

    @Override
    public void abort() {
        session.abort();
    }

    @Override
    public boolean isOpen() {
        return session.isOpen();
    }

    @Override
    public String remoteAddress() {
        return session.remoteAddress();
    }

    /** The client's single outbox writer is the only caller, so the answer goes out exactly once. */
    private void writeConnectAnswer() throws Exception {
        OutboundFrame answer = connectAnswer;
        if (answer != null) {
            connectAnswer = null;
            session.send(answer);
        }
    }
}
