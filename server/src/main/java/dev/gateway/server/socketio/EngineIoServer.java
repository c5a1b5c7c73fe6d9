package dev.gateway.server.socketio;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

import dev.gateway.protocol.event.CloseCode;
import dev.gateway.protocol.event.SocketIoCodec;
import dev.gateway.server.client.DisconnectReason;
import dev.gateway.server.client.Transport;
import dev.gateway.server.dispatch.EventRouter;
import dev.gateway.server.client.ClientLifecycle;
import dev.gateway.server.websocket.WsHandler;

/**
 * The Engine.IO sessions of this node and how they open: a polling handshake, a WebSocket handshake, or the
 * WebSocket that upgrades a polling session. Each session carries a {@link SocketIoConnection}. Sessions live on the
 * node that opened them: behind a load balancer, polling needs sticky sessions. Free of Helidon types; the HTTP and
 * WebSocket routes in {@code server.websocket} call it.
 */
public final class EngineIoServer {
    private final SocketIoSettings settings;
    private final SocketIoCodec codec;
    private final ClientLifecycle lifecycle;
    private final EventRouter router;
    private final ScheduledExecutorService scheduler;
    private final Executor executor;
    private final Clock clock;
    private final Map<String, EngineIoSession> sessions = new ConcurrentHashMap<>();

    public EngineIoServer(SocketIoSettings settings, SocketIoCodec codec, ClientLifecycle lifecycle, EventRouter router,
                          ScheduledExecutorService scheduler, Executor executor, Clock clock) {
        this.settings = settings;
        this.codec = codec;
        this.lifecycle = lifecycle;
        this.router = router;
        this.scheduler = scheduler;
        this.executor = executor;
        this.clock = clock;
    }

    public SocketIoSettings settings() {
        return settings;
    }

    /** A polling handshake: opens a session and returns its open packet, which offers the WebSocket upgrade. */
    public String openPolling(Credentials credentials, String remoteAddress) {
        EngineIoSession session = EngineIoSession.polling(ClientLifecycle.newSocketId(), remoteAddress, settings, scheduler,
                                                          executor, clock, this::forget);
        sessions.put(session.sid(), session);
        return start(session, credentials, true);
    }

    /** A WebSocket handshake without {@code sid}: the session opens once the socket does. */
    public WsHandler openWebSocket(Credentials credentials) {
        return new EngineIoWebSocket(ws -> {
            EngineIoSession session = EngineIoSession.webSocket(ClientLifecycle.newSocketId(), ws, settings, scheduler,
                                                                executor, clock, this::forget);
            sessions.put(session.sid(), session);
            start(session, credentials, false);
            return session;
        });
    }

    /**
     * A WebSocket asking to upgrade the polling session {@code sid}. When the session is upgraded already, or another
     * WebSocket is upgrading it, this one is accepted and closed at once: it never joins or takes over the session.
     *
     * @return empty when refused (400): no such session
     */
    public Optional<WsHandler> upgrade(String sid) {
        return session(sid).map(session -> session.claimUpgrade()
                                           ? new EngineIoWebSocket((Transport ws) -> {
                                               session.probeOpened(ws);
                                               return session;
                                           })
                                           : new Unwanted());
    }

    /** The open session with this sid. */
    public Optional<EngineIoSession> session(String sid) {
        return Optional.ofNullable(sessions.get(sid));
    }

    /** Sessions open on this node. */
    public int size() {
        return sessions.size();
    }

    private String start(EngineIoSession session, Credentials credentials, boolean polling) {
        SocketIoConnection connection = new SocketIoConnection(session, credentials, codec, lifecycle, router, settings,
                                                               scheduler, clock);
        String open = codec.open(session.sid(), polling, settings.pingInterval().toMillis(), settings.pingTimeout().toMillis(),
                                 settings.maxPayload());
        session.start(connection, open);
        connection.awaitConnect();
        return open;
    }

    /** A WebSocket for a session that has (or is getting) one already: closed as soon as it opens. */
    private static final class Unwanted implements WsHandler {
        @Override
        public void opened(Transport transport) {
            try {
                transport.sendClose(CloseCode.POLICY_VIOLATION.code(), "session already upgraded");
            } catch (Exception e) {
                transport.abort();
            }
        }

        @Override
        public void text(String message) {
        }

        @Override
        public void binary() {
        }

        @Override
        public void tooBig() {
        }

        @Override
        public void closed(int code) {
        }

        @Override
        public void lost(DisconnectReason reason, String why) {
        }
    }

    private void forget(EngineIoSession session) {
        sessions.remove(session.sid(), session);
    }
}
