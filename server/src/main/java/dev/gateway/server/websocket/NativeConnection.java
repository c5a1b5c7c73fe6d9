package dev.gateway.server.websocket;

import java.time.Clock;

import dev.gateway.server.client.Client;
import dev.gateway.server.client.DisconnectReason;
import dev.gateway.server.client.Transport;
import dev.gateway.server.dispatch.EventRouter;
import dev.gateway.server.client.ClientLifecycle;

import io.helidon.websocket.WsCloseCodes;

/**
 * A native-protocol connection at {@code /ws} (PROTOCOL sections 2 and 3): its socket was admitted (registered in
 * Redis) at the upgrade, so it becomes a {@link Client} as soon as the connection opens, and each of its messages goes
 * to the {@link EventRouter}.
 */
final class NativeConnection implements WsHandler {
    private static final System.Logger LOG = System.getLogger(NativeConnection.class.getName());

    /** Until the connection opens: afterwards nothing of it is kept (it holds the user's contacts). */
    private ClientLifecycle.Admission admission;
    private final ClientLifecycle lifecycle;
    private final EventRouter router;
    private final Clock clock;
    private Client client;

    NativeConnection(ClientLifecycle.Admission admission, ClientLifecycle lifecycle, EventRouter router, Clock clock) {
        this.admission = admission;
        this.lifecycle = lifecycle;
        this.router = router;
        this.clock = clock;
    }

    @Override
    public void opened(Transport transport) {
        ClientLifecycle.Admission admission = this.admission;
        this.admission = null;
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
    public void text(String message) {
        if (live()) {
            router.onText(client, message);
        }
    }

    @Override
    public void binary() {
        if (live()) {
            router.onBinary(client);
        }
    }

    @Override
    public void tooBig() {
        if (live()) {
            lifecycle.end(client, DisconnectReason.MESSAGE_TOO_BIG, "message too big");
        }
    }

    @Override
    public void activity() {
        if (client != null) {
            client.inbound(clock.millis());
        }
    }

    @Override
    public void closed(int code) {
        if (client != null) {
            lifecycle.end(client, DisconnectReason.CLIENT_CLOSED, "client closed");
        }
    }

    @Override
    public void lost(DisconnectReason reason, String why) {
        if (client != null) {
            LOG.log(System.Logger.Level.DEBUG, "event=connection-error socket={0} error={1}", client.socketId(), why);
            lifecycle.end(client, reason, why);
        }
    }

    private boolean live() {
        return client != null && !client.isEnded();
    }
}
