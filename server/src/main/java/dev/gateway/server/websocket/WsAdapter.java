package dev.gateway.server.websocket;

import java.io.IOException;
import java.util.Optional;
import java.util.function.BiFunction;

import dev.gateway.server.client.DisconnectReason;
import dev.gateway.server.client.MessageAssembler;
import dev.gateway.server.connection.PeerAddress;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.helidon.websocket.WsUpgradeException;

/**
 * The one Helidon {@link WsListener} of the gateway, for {@code /ws} and {@code /socket.io/} alike: one instance per
 * connection (Helidon calls {@code onHttpUpgrade} and then every callback on the same instance, on the connection's
 * reader thread). It decides the upgrade through the endpoint's function, joins fragments into whole messages (the
 * gateway's connection has checked them: UTF-8, the size cap), answers pings, and hands the rest to a
 * {@link WsHandler}, the protocol. The connection answers close frames itself.
 * <p>
 * No exception escapes a callback: Helidon would put its message into the close reason.
 */
public final class WsAdapter implements WsListener {
    private static final System.Logger LOG = System.getLogger(WsAdapter.class.getName());

    private final BiFunction<HttpPrologue, Headers, Optional<WsHandler>> upgrade;
    private final MessageAssembler assembler = new MessageAssembler();
    private WsHandler handler;
    private WsTransport transport;

    /**
     * @param upgrade the endpoint's decision on an upgrade request: a handler, or empty to refuse it (the request then
     *                falls through to the HTTP route at the same path, which answers the refusal)
     */
    public WsAdapter(BiFunction<HttpPrologue, Headers, Optional<WsHandler>> upgrade) {
        this.upgrade = upgrade;
    }

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) throws WsUpgradeException {
        handler = upgrade.apply(prologue, headers).orElseThrow(() -> new WsUpgradeException("refused"));
        return Optional.empty();
    }

    @Override
    public void onOpen(WsSession session) {
        transport = new WsTransport(session, PeerAddress.of(session.socketContext().remotePeer().address()));
        safely(() -> handler.opened(transport));
    }

    @Override
    public void onMessage(WsSession session, String text, boolean last) {
        safely(() -> {
            handler.activity();
            Optional<String> message = assembler.add(text, last);
            if (message.isPresent()) {
                handler.text(message.get());
            }
        });
    }

    @Override
    public void onMessage(WsSession session, BufferData buffer, boolean last) {
        safely(() -> {
            handler.activity();
            if (last) {
                handler.binary();
            }
        });
    }

    @Override
    public void onPing(WsSession session, BufferData buffer) {
        safely(() -> {
            handler.activity();
            byte[] payload = new byte[buffer.available()];
            buffer.read(payload);
            try {
                transport.sendPong(payload);
            } catch (IOException e) {
                // the connection is going away: its listener hears of it
            }
        });
    }

    @Override
    public void onPong(WsSession session, BufferData buffer) {
        safely(handler::activity);
    }

    /** The client's close frame (the connection has answered it). */
    @Override
    public void onClose(WsSession session, int status, String reason) {
        safely(() -> handler.closed(status));
    }

    /** The connection ended without the client's close: TCP dropped, or a violation it closed (1002, 1007, 1009). */
    @Override
    public void onError(WsSession session, Throwable t) {
        safely(() -> {
            DisconnectReason reason = WsTransport.disconnectReason(t);
            if (reason == DisconnectReason.MESSAGE_TOO_BIG) {
                handler.tooBig();
            } else {
                handler.lost(reason, reason == DisconnectReason.CONNECTION_LOST ? "connection lost" : t.getMessage());
            }
        });
    }

    private static void safely(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "event=listener-failed", e);
        }
    }

}
