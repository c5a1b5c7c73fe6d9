package dev.gateway.server.socketio;

import java.time.Clock;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gateway.protocol.event.CloseCode;
import dev.gateway.protocol.event.FrameCodec.BadFrameException;
import dev.gateway.protocol.event.SocketIoCodec;
import dev.gateway.protocol.event.SocketIoCodec.InvalidPacketException;
import dev.gateway.protocol.event.SocketIoCodec.Packet;
import dev.gateway.server.client.Client;
import dev.gateway.server.client.DisconnectReason;
import dev.gateway.server.client.OutboundFrame;
import dev.gateway.server.dispatch.EventRouter;
import dev.gateway.server.client.ClientLifecycle;
import dev.gateway.server.client.TooManyConnectionsException;
import dev.gateway.server.websocket.Handshake;

/**
 * The Socket.IO 5 layer of one {@link EngineIoSession} (PROTOCOL section 8), on the default namespace {@code /}.
 * <pre>
 *  open ──► AWAITING_CONNECT ── 40 with a good token ──► CONNECTED: a {@link Client} of this node
 *            │ 40/other: 44 "Invalid namespace"            │ 42 events ──► EventRouter (the native handlers)
 *            │                                             │ 5x-: attachments read, then refused (BAD_FRAME)
 *            │ ◄────────── 41: the client leaves ──────────┤
 *            │ anything else first, no 40 within           │
 *            │ connectTimeout, a refused token or          │ an invalid Socket.IO packet: the session closes
 *            │ MAX_SOCKETS_PER_USER reached (44):          │
 *            ▼ the session closes                          ▼
 *          CLOSED ◄──────────── the session ended ──────────
 * </pre>
 * Once CONNECTED the client is like a native one: same registration, presence, rooms, rate limit, outbox and close
 * codes. Messages come one at a time from the session; {@link #ended} may come from any thread.
 */
final class SocketIoConnection implements EngineIoSession.Listener {
    private static final System.Logger LOG = System.getLogger(SocketIoConnection.class.getName());
    private static final int POLICY_VIOLATION = CloseCode.POLICY_VIOLATION.code();

    enum State {
        AWAITING_CONNECT, CONNECTED, CLOSED
    }

    /** A binary packet whose attachments are still arriving. */
    private record PendingBinary(int left, boolean ours, OptionalLong ack) {
    }

    private final EngineIoSession session;
    private final Credentials credentials;
    private final SocketIoCodec codec;
    private final ClientLifecycle lifecycle;
    private final EventRouter router;
    private final SocketIoSettings settings;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private volatile State state = State.AWAITING_CONNECT;
    private volatile Client client;
    private volatile ScheduledFuture<?> connectDeadline;
    private PendingBinary pendingBinary;

    SocketIoConnection(EngineIoSession session, Credentials credentials, SocketIoCodec codec, ClientLifecycle lifecycle,
                       EventRouter router, SocketIoSettings settings, ScheduledExecutorService scheduler, Clock clock) {
        this.session = session;
        this.credentials = credentials;
        this.codec = codec;
        this.lifecycle = lifecycle;
        this.router = router;
        this.settings = settings;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    State state() {
        return state;
    }

    /** Arms the CONNECT deadline; called once the session is open. */
    void awaitConnect() {
        connectDeadline = scheduler.schedule(this::connectTimedOut, settings.connectTimeout().toMillis(),
                                             TimeUnit.MILLISECONDS);
    }

    @Override
    public void message(String data) {
        if (pendingBinary != null) {
            session.fail("a text packet while binary attachments were due");
            return;
        }
        Packet packet;
        try {
            packet = codec.decode(data);
        } catch (InvalidPacketException e) {
            session.fail("invalid Socket.IO packet: " + e.getMessage());
            return;
        } catch (BadFrameException e) {
            Client current = client;
            if (state == State.CONNECTED && current != null) {
                router.onBadFrame(current, e);
            } else {
                session.fail("the first packet must be CONNECT");
            }
            return;
        }
        switch (state) {
            case AWAITING_CONNECT -> beforeConnect(packet);
            case CONNECTED -> connected(packet);
            case CLOSED -> { }
        }
    }

    @Override
    public void binary() {
        PendingBinary pending = pendingBinary;
        if (pending == null) {
            session.fail("a binary message without a binary packet");
            return;
        }
        attachmentRead(pending);
    }

    @Override
    public void alive() {
        Client current = client;
        if (current != null) {
            current.inbound(clock.millis());
        }
    }

    @Override
    public void overflow() {
        Client current = client;
        if (current != null) {
            lifecycle.end(current, DisconnectReason.SLOW_CONSUMER, "slow consumer: polling buffer overflowed");
        } else {
            session.close(CloseCode.SLOW_CONSUMER.code(), "slow consumer");
        }
    }

    @Override
    public void ended(EngineIoSession.End end, String why) {
        state = State.CLOSED;
        cancelDeadline();
        Client current = client;
        if (current != null) {
            lifecycle.end(current, switch (end) {
                case CLIENT_CLOSED -> DisconnectReason.CLIENT_CLOSED;
                case TOO_BIG -> DisconnectReason.MESSAGE_TOO_BIG;
                default -> DisconnectReason.CONNECTION_LOST;
            }, why);
        }
    }

    private void beforeConnect(Packet packet) {
        switch (packet) {
            case Packet.Connect connect when connect.namespace().equals("/") -> connect(connect.auth());
            case Packet.Connect connect -> session.sendQuietly(new OutboundFrame(codec.connectError(connect.namespace(),
                                                                                                   "Invalid namespace")));
            default -> session.fail("the first packet must be CONNECT");
        }
    }

    private void connected(Packet packet) {
        Client current = client;
        switch (packet) {
            case Packet.Event event -> router.onFrame(current, event.frame());
            case Packet.Binary binary -> {
                PendingBinary pending = new PendingBinary(binary.attachments(), binary.namespace().equals("/"), binary.ack());
                if (binary.attachments() == 0) {
                    attachmentRead(new PendingBinary(1, pending.ours(), pending.ack()));
                } else {
                    pendingBinary = pending;
                }
            }
            case Packet.Connect connect when !connect.namespace().equals("/") ->
                    session.sendQuietly(new OutboundFrame(codec.connectError(connect.namespace(), "Invalid namespace")));
            case Packet.Disconnect disconnect when disconnect.namespace().equals("/") -> leave(current);
            default -> { } // a second CONNECT to /, ACKs, other namespaces: nothing to do
        }
    }

    private void attachmentRead(PendingBinary pending) {
        if (pending.left() > 1) {
            pendingBinary = new PendingBinary(pending.left() - 1, pending.ours(), pending.ack());
            return;
        }
        pendingBinary = null;
        Client current = client;
        if (pending.ours() && state == State.CONNECTED && current != null) {
            router.onBadFrame(current, codec.binaryRefused(pending.ack()));
        }
    }

    /** DISCONNECT from {@code /}: the client leaves, the Engine.IO session stays (it may CONNECT again). */
    private void leave(Client current) {
        client = null;
        state = State.AWAITING_CONNECT;
        lifecycle.end(current, DisconnectReason.CLIENT_CLOSED, "client disconnected");
        awaitConnect();
    }

    /** The CONNECT packet: the token is checked here, then the session becomes a client of this node. */
    private void connect(JsonNode auth) {
        cancelDeadline();
        // Origin and this node's state were checked at the handshake; again now, since the node may be draining
        Optional<Handshake.Refused> unavailable = credentials.admit();
        if (unavailable.isPresent()) {
            credentials.record(unavailable.get());
            refuse(unavailable.get().status() == 403 ? "forbidden" : "unavailable", 1011);
            return;
        }
        Optional<String> token = Optional.ofNullable(auth.get("token"))
                .filter(JsonNode::isTextual)
                .map(JsonNode::asText)
                .filter(value -> !value.isBlank());
        Handshake handshake = credentials.authenticate(token);
        if (handshake instanceof Handshake.Refused refused) {
            credentials.record(refused);
            refuse("unauthorized", CloseCode.TOKEN_EXPIRED.code());
            return;
        }
        open((Handshake.Accepted) handshake);
    }

    /** The one place a Socket.IO session becomes a client of this node (registered in Redis, greeted). */
    private void open(Handshake.Accepted accepted) {
        String socketId = ClientLifecycle.newSocketId();
        SocketIoTransport transport = new SocketIoTransport(session, codec, codec.connected(socketId));
        Client opened;
        try {
            opened = lifecycle.open(socketId, accepted.principal(), accepted.deviceId(), accepted.deviceName(),
                                    accepted.userAgent(), transport);
        } catch (TooManyConnectionsException e) {
            // MAX_SOCKETS_PER_USER, counted by the registration: nothing was written
            credentials.record(credentials.tooManyConnections(accepted.principal().userId()));
            refuse("too many connections", POLICY_VIOLATION);
            return;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "event=open-failed user={0} error=\"{1}\"",
                    accepted.principal().userId(), e.getMessage());
            refuse("unavailable", 1011);
            return;
        }
        client = opened;
        if (state == State.CLOSED) {
            // the session ended while the client was being opened
            lifecycle.end(opened, DisconnectReason.CONNECTION_LOST, "connection lost");
            return;
        }
        state = State.CONNECTED;
    }

    /** CONNECT_ERROR, then the session closes: socket.io-client reports {@code connect_error} and does not retry. */
    private void refuse(String message, int closeCode) {
        session.sendQuietly(new OutboundFrame(codec.connectError("/", message)));
        session.close(closeCode, message);
    }

    private void connectTimedOut() {
        if (state == State.AWAITING_CONNECT) {
            LOG.log(System.Logger.Level.DEBUG, "event=connect-timeout sid={0}", session.sid());
            session.close(POLICY_VIOLATION, "no CONNECT packet in time");
        }
    }

    private void cancelDeadline() {
        ScheduledFuture<?> deadline = connectDeadline;
        if (deadline != null) {
            deadline.cancel(false);
        }
    }
}
