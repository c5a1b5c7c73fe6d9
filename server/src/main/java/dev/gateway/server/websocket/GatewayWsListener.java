package dev.gateway.server.websocket;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.util.Optional;

import dev.gateway.server.client.Client;
import dev.gateway.server.client.DisconnectReason;
import dev.gateway.server.gateway.EventRouter;
import dev.gateway.server.node.ClientLifecycle;
import dev.gateway.server.node.TooManyConnectionsException;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.helidon.websocket.WsUpgradeException;

/**
 * One listener per connection (Helidon calls {@code onHttpUpgrade} and then every other callback on the same
 * instance, on the connection's reader thread). It authenticates and registers the socket at the upgrade, so that
 * every refusal (the per-user socket cap included) is an HTTP answer before the 101, and hands frames to the
 * {@link EventRouter}. No exception escapes a callback: Helidon would put its message into the close reason.
 * <pre>
 *  onHttpUpgrade: checks, then admit (registered in Redis) ──► 101 ──► onOpen: open (hub, rooms, connected)
 *        │ refused: remembered for the HTTP route (401/403/429/503)        the upgrade failed after admit:
 *        ▼                                                                 the sweeper removes the admission
 * </pre>
 */
final class GatewayWsListener implements WsListener {
    private static final System.Logger LOG = System.getLogger(GatewayWsListener.class.getName());

    private final HandshakeAuthenticator authenticator;
    private final UpgradeRefusals refusals;
    private final ClientLifecycle lifecycle;
    private final EventRouter router;
    private final Clock clock;
    private ClientLifecycle.Admission admission;
    private WsTransport transport;
    private Client client;

    GatewayWsListener(HandshakeAuthenticator authenticator, UpgradeRefusals refusals, ClientLifecycle lifecycle,
                      EventRouter router, Clock clock) {
        this.authenticator = authenticator;
        this.refusals = refusals;
        this.lifecycle = lifecycle;
        this.router = router;
        this.clock = clock;
    }

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) throws WsUpgradeException {
        Handshake handshake = authenticator.check(headers, prologue.query());
        if (handshake instanceof Handshake.Refused refused) {
            throw refuse(prologue, refused);
        }
        Handshake.Accepted accepted = (Handshake.Accepted) handshake;
        try {
            admission = lifecycle.admit(ClientLifecycle.newSocketId(), accepted.principal(), accepted.deviceId(),
                                        accepted.deviceName(), accepted.userAgent(), Optional.empty());
        } catch (TooManyConnectionsException e) {
            throw refuse(prologue, authenticator.tooManyConnections(accepted.principal().userId()));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "event=register-failed user={0} error=\"{1}\"",
                    accepted.principal().userId(), e.getMessage());
            throw refuse(prologue, authenticator.unavailable());
        }
        return Optional.empty();
    }

    /** Falls through to the HTTP route at /ws, which answers with the refusal's status and body. */
    private WsUpgradeException refuse(HttpPrologue prologue, Handshake.Refused refused) {
        refusals.remember(prologue, refused);
        return new WsUpgradeException(refused.why());
    }

    @Override
    public void onOpen(WsSession session) {
        transport = new WsTransport(session, remoteAddress(session));
        try {
            client = lifecycle.open(admission, transport);
        } catch (RuntimeException e) {
            lifecycle.abandon(admission);
            LOG.log(System.Logger.Level.WARNING, "event=open-failed user={0} error=\"{1}\"",
                    admission.record().userId(), e.getMessage());
            try {
                transport.sendClose(WsCloseCodes.UNEXPECTED_CONDITION, "unavailable, try again");
            } catch (Exception ignored) {
                transport.abort();
            }
        }
    }

    @Override
    public void onMessage(WsSession session, String text, boolean last) {
        if (client == null || client.isEnded()) {
            return;
        }
        try {
            client.inbound(clock.millis());
            Optional<String> message = client.assembler().add(text, last);
            if (message.isPresent()) {
                router.onText(client, message.get());
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "event=message-failed socket=" + client.socketId(), e);
        }
    }

    @Override
    public void onMessage(WsSession session, BufferData buffer, boolean last) {
        if (client == null || client.isEnded()) {
            return;
        }
        try {
            client.inbound(clock.millis());
            if (last) {
                router.onBinary(client);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "event=message-failed socket=" + client.socketId(), e);
        }
    }

    @Override
    public void onPing(WsSession session, BufferData buffer) {
        if (client != null && !client.isEnded()) {
            client.inbound(clock.millis());
            byte[] payload = new byte[buffer.available()];
            buffer.read(payload);
            client.outbox().pong(payload);
        }
    }

    @Override
    public void onPong(WsSession session, BufferData buffer) {
        if (client != null) {
            client.inbound(clock.millis());
        }
    }

    /** The client's close frame (the connection has answered it). */
    @Override
    public void onClose(WsSession session, int status, String reason) {
        if (client != null) {
            lifecycle.end(client, DisconnectReason.CLIENT_CLOSED, "client closed");
        }
    }

    /** The connection ended without the client's close: TCP dropped, or a protocol violation it closed (1002/1007/1009). */
    @Override
    public void onError(WsSession session, Throwable t) {
        if (client != null) {
            LOG.log(System.Logger.Level.DEBUG, "event=connection-error socket={0} error={1}", client.socketId(), t.toString());
            DisconnectReason reason = WsTransport.disconnectReason(t);
            lifecycle.end(client, reason, reason == DisconnectReason.CONNECTION_LOST ? "connection lost" : t.getMessage());
        }
    }

    private static String remoteAddress(WsSession session) {
        SocketAddress address = session.socketContext().remotePeer().address();
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return String.valueOf(address);
    }
}
