package dev.gateway.server.socketio;

import java.util.function.Function;

import dev.gateway.server.client.DisconnectReason;
import dev.gateway.server.client.Transport;
import dev.gateway.server.websocket.WsHandler;

/** A WebSocket of an {@link EngineIoSession}: the one it opened, or the one that upgrades a polling session. */
final class EngineIoWebSocket implements WsHandler {
    private final Function<Transport, EngineIoSession> attach;
    private EngineIoSession session;
    private Transport webSocket;

    /** @param attach opens the session on this WebSocket, or offers it to the polling session it upgrades */
    EngineIoWebSocket(Function<Transport, EngineIoSession> attach) {
        this.attach = attach;
    }

    @Override
    public void opened(Transport transport) {
        webSocket = transport;
        session = attach.apply(transport);
    }

    @Override
    public void text(String message) {
        session.webSocketText(webSocket, message);
    }

    @Override
    public void binary() {
        session.webSocketBinary(webSocket);
    }

    @Override
    public void tooBig() {
        session.webSocketTooBig(webSocket);
    }

    @Override
    public void closed(int code) {
        session.webSocketGone(webSocket, true);
    }

    @Override
    public void lost(DisconnectReason reason, String why) {
        if (session != null) {
            session.webSocketGone(webSocket, false);
        }
    }
}
