package dev.gateway.server.socketio;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gateway.protocol.event.FrameCodec.BadFrameException;
import dev.gateway.protocol.event.SocketIoCodec;
import dev.gateway.protocol.event.SocketIoCodec.Packet;
import dev.gateway.server.client.Client;
import dev.gateway.server.client.DisconnectReason;
import dev.gateway.server.client.OutboundFrame;
import dev.gateway.server.client.Transport;
import dev.gateway.server.node.ClientLifecycle;
import dev.gateway.server.node.TooManyConnectionsException;
import dev.gateway.server.websocket.Handshake;
import dev.gateway.server.websocket.WsTransport;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.uri.UriQuery;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsCloseCodes;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.helidon.websocket.WsUpgradeException;

/**
 * One Socket.IO session over one WebSocket. Helidon calls every callback on the connection's reader thread; the
 * heartbeat and the CONNECT deadline run on the scheduler.
 * <pre>
 *  upgrade (Origin, Redis, EIO=4, transport=websocket)
 *     └─► open: send 0{sid, pingInterval, ...} ──► WAITING ──(no CONNECT within 10 s)──► close 1008
 *                                                     │ 40{"token":...}
 *                    token refused: 44{"message":"unauthorized"}, close 4401 ◄──┤
 *          MAX_SOCKETS_PER_USER reached: 44{"message":"too many connections"}, close 1008 ◄──┤
 *                                                     ▼
 *                        CONNECTED: 40{"sid"}, then connected, presence:bulk-online (ClientLifecycle.open)
 *                          events 42[id][...] ──► EventRouter (the native handlers), answers 43id[...]
 *                          server ping 2 every pingInterval, pong 3 due within pingTimeout (else dropped)
 *                          41 or 1 or a close frame from the client: ends like a native client close
 * </pre>
 * Once CONNECTED the session is an ordinary {@link Client}: same registration, presence, rooms, rate limit, outbox
 * and close codes as a native socket. No exception escapes a callback (Helidon would put it in the close reason).
 * <p>
 * An HTTP long-polling session uses the same listener over a {@link PollingSession} ({@link #openPolling}; each
 * POSTed packet comes to {@link #onMessage}). A WebSocket that upgrades a polling session ({@code sid} in the query)
 * gets a listener of its own which only answers the probe, moves the session on {@code 5} and then hands every
 * callback to the polling session's listener.
 */
final class SocketIoListener implements WsListener {
    private static final System.Logger LOG = System.getLogger(SocketIoListener.class.getName());
    private static final int WAITING = 0;
    private static final int CONNECTED = 1;
    private static final int CLOSED = 2;
    private static final int POLICY_VIOLATION = 1008;

    private final SocketIoEndpoint endpoint;
    private final SocketIoCodec codec;
    private final AtomicInteger phase = new AtomicInteger(WAITING);
    private final StringBuilder unconnected = new StringBuilder();
    private Headers headers;
    private UriQuery query;
    private Transport ws; // a WsTransport, or a PollingSession (which may move to a WebSocket)
    private PollingSession upgrading; // set when this WebSocket upgrades a polling session
    private WsTransport upgradeSocket;
    private volatile boolean upgraded;
    private SocketIoTransport transport;
    private volatile Client client;
    private volatile ScheduledFuture<?> connectDeadline;
    private volatile ScheduledFuture<?> heartbeat;
    private volatile long pongMillis;

    SocketIoListener(SocketIoEndpoint endpoint) {
        this.endpoint = endpoint;
        this.codec = endpoint.codec;
    }

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) throws WsUpgradeException {
        Optional<String> sid = prologue.query().first("sid").asOptional();
        if (sid.isPresent()) {
            upgrading = endpoint.pollingSession(sid.get()).filter(session -> !session.isUpgraded()).orElse(null);
        }
        Optional<Handshake.Refused> refused = endpoint.refusal(headers, prologue.query(), upgrading != null);
        if (refused.isPresent()) {
            // falls through to the HTTP route at the same path, which answers with the refusal's status and body
            throw new WsUpgradeException(refused.get().why());
        }
        this.headers = headers;
        this.query = prologue.query();
        return Optional.empty();
    }

    @Override
    public void onOpen(WsSession session) {
        if (upgrading != null) {
            upgradeSocket = new WsTransport(session, remoteAddress(session));
            return;
        }
        ws = new WsTransport(session, remoteAddress(session));
        transport = new SocketIoTransport(ws, codec);
        SocketIoSettings settings = endpoint.settings;
        send(codec.open(ClientLifecycle.newSocketId(), settings.pingInterval().toMillis(), settings.pingTimeout().toMillis(),
                        settings.maxPayload()));
        connectDeadline = endpoint.scheduler.schedule(this::connectTimedOut, settings.connectTimeout().toMillis(),
                                                      TimeUnit.MILLISECONDS);
    }

    /** Opens an HTTP long-polling session: the open packet (offering the upgrade) waits for the first GET. */
    void openPolling(PollingSession session, Headers headers, UriQuery query) {
        this.headers = headers;
        this.query = query;
        ws = session;
        transport = new SocketIoTransport(session, codec);
        SocketIoSettings settings = endpoint.settings;
        send(codec.open(session.sid(), true, settings.pingInterval().toMillis(), settings.pingTimeout().toMillis(),
                        settings.maxPayload()));
        connectDeadline = endpoint.scheduler.schedule(this::connectTimedOut, settings.connectTimeout().toMillis(),
                                                      TimeUnit.MILLISECONDS);
    }

    /** The polling session's client is gone (no GET in time). */
    void lost(String why) {
        phase.set(CLOSED);
        stopTimers();
        Client current = client;
        if (current != null) {
            LOG.log(System.Logger.Level.DEBUG, "event=connection-lost socket={0} why={1}", current.socketId(), why);
            endpoint.lifecycle.end(current, DisconnectReason.CONNECTION_LOST, why);
        }
    }

    /** The polling session's buffer is full: closed as a slow consumer, as when the outbox is full. */
    void overflow() {
        Client current = client;
        if (current != null) {
            endpoint.lifecycle.end(current, DisconnectReason.SLOW_CONSUMER, "slow consumer");
        } else {
            ws.abort();
        }
    }

    /** The upgrading WebSocket before {@code 5}: answers the probe; {@code 5} moves the polling session here. */
    private boolean upgradeStep(String text) {
        if (upgraded) {
            return false;
        }
        try {
            if (text.equals(SocketIoCodec.PING + "probe")) {
                upgradeSocket.sendText(new OutboundFrame(SocketIoCodec.PONG + "probe"));
                upgrading.probed();
            } else if (text.equals("5")) {
                try {
                    upgrading.upgrade(upgradeSocket);
                    upgraded = true;
                } catch (Exception e) {
                    // packets may have left the buffer without reaching the client: the session cannot go on
                    upgrading.listener().lost("upgrade failed");
                    upgrading.abort();
                    throw e;
                }
            }
        } catch (Exception e) {
            upgradeSocket.abort();
        }
        return true;
    }

    @Override
    public void onMessage(WsSession session, String text, boolean last) {
        if (upgrading != null) {
            if (!upgradeStep(text)) {
                upgrading.listener().onMessage(session, text, last);
            }
            return;
        }
        Client current = client;
        if (current == null) {
            beforeConnect(text, last);
            return;
        }
        if (current.isEnded()) {
            return;
        }
        try {
            current.inbound(endpoint.clock.millis());
            Optional<String> message = current.assembler().add(text, last);
            if (message.isPresent()) {
                handle(current, message.get());
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "event=message-failed socket=" + current.socketId(), e);
        }
    }

    @Override
    public void onMessage(WsSession session, BufferData buffer, boolean last) {
        // Socket.IO binary attachments: not served, answered as a native binary frame is (BAD_FRAME)
        if (upgrading != null) {
            if (upgraded) {
                upgrading.listener().onMessage(session, buffer, last);
            }
            return;
        }
        Client current = client;
        if (current == null || current.isEnded()) {
            return;
        }
        try {
            current.inbound(endpoint.clock.millis());
            if (last) {
                endpoint.router.onBinary(current);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "event=message-failed socket=" + current.socketId(), e);
        }
    }

    @Override
    public void onPing(WsSession session, BufferData buffer) {
        if (upgrading != null) {
            if (upgraded) {
                upgrading.listener().onPing(session, buffer);
            }
            return;
        }
        Client current = client;
        if (current != null && !current.isEnded()) {
            current.inbound(endpoint.clock.millis());
            byte[] payload = new byte[buffer.available()];
            buffer.read(payload);
            current.outbox().pong(payload);
        }
    }

    @Override
    public void onPong(WsSession session, BufferData buffer) {
        if (upgrading != null) {
            if (upgraded) {
                upgrading.listener().onPong(session, buffer);
            }
            return;
        }
        Client current = client;
        if (current != null) {
            current.inbound(endpoint.clock.millis());
        }
    }

    @Override
    public void onClose(WsSession session, int status, String reason) {
        if (upgrading != null) {
            // before the upgrade a failed probe leaves the polling session as it is
            if (upgraded) {
                upgrading.listener().onClose(session, status, reason);
            } else if (upgradeSocket != null) {
                upgrading.probeFailed();
                upgradeSocket.answerClose(WsCloseCodes.NORMAL_CLOSE);
            }
            return;
        }
        phase.set(CLOSED);
        stopTimers();
        if (ws != null) {
            answerClose();
        }
        Client current = client;
        if (current != null) {
            endpoint.lifecycle.end(current, DisconnectReason.CLIENT_CLOSED, "client closed");
        }
    }

    @Override
    public void onError(WsSession session, Throwable t) {
        if (upgrading != null) {
            if (upgraded) {
                upgrading.listener().onError(session, t);
            }
            return;
        }
        phase.set(CLOSED);
        stopTimers();
        Client current = client;
        if (current != null) {
            LOG.log(System.Logger.Level.DEBUG, "event=connection-error socket={0} error={1}", current.socketId(), t.toString());
            DisconnectReason reason = WsTransport.disconnectReason(t);
            endpoint.lifecycle.end(current, reason, reason == DisconnectReason.CONNECTION_LOST ? "connection lost" : t.getMessage());
        }
    }

    /** A connected session's packet. */
    private void handle(Client current, String message) {
        Packet packet;
        try {
            packet = codec.decode(message);
        } catch (BadFrameException e) {
            endpoint.router.onBadFrame(current, e);
            return;
        }
        switch (packet) {
            case Packet.Event event -> endpoint.router.onFrame(current, event.frame());
            case Packet.Pong pong -> pongMillis = endpoint.clock.millis();
            case Packet.Ping ping -> current.send(SocketIoCodec.PONG + ping.payload());
            case Packet.Connect connect -> {
                if (!connect.namespace().equals("/")) {
                    current.send(codec.connectError(connect.namespace(), "Invalid namespace"));
                }
            }
            case Packet.Disconnect disconnect -> {
                if (disconnect.namespace().equals("/")) {
                    closedByClient(current);
                }
            }
            case Packet.Close close -> closedByClient(current);
            case Packet.ClientAck ack -> { }
            case Packet.Noop noop -> { }
        }
    }

    private void closedByClient(Client current) {
        endpoint.lifecycle.end(current, DisconnectReason.CLIENT_CLOSED, "client disconnected");
        answerClose();
    }

    private void answerClose() {
        if (ws instanceof WsTransport socket) {
            socket.answerClose(WsCloseCodes.NORMAL_CLOSE);
        } else if (ws instanceof PollingSession polling) {
            polling.answerClose();
        }
    }

    /** Before CONNECT: only CONNECT, Engine.IO ping and close mean anything (Socket.IO ignores the rest too). */
    private void beforeConnect(String text, boolean last) {
        if (phase.get() != WAITING) {
            return;
        }
        if (unconnected.length() + text.length() > endpoint.settings.maxPayload()) {
            close(WsCloseCodes.TOO_BIG, "message too big");
            return;
        }
        unconnected.append(text);
        if (!last) {
            return;
        }
        String message = unconnected.toString();
        unconnected.setLength(0);
        Packet packet;
        try {
            packet = codec.decode(message);
        } catch (BadFrameException e) {
            return;
        }
        switch (packet) {
            case Packet.Connect connect when !connect.namespace().equals("/") ->
                    send(codec.connectError(connect.namespace(), "Invalid namespace"));
            case Packet.Connect connect -> {
                if (phase.compareAndSet(WAITING, CONNECTED)) {
                    connectDeadline.cancel(false);
                    connect(connect.auth());
                }
            }
            case Packet.Ping ping -> send(SocketIoCodec.PONG + ping.payload());
            case Packet.Close close -> {
                phase.set(CLOSED);
                answerClose();
            }
            default -> { }
        }
    }

    /** The CONNECT packet: the token is checked here, then the session becomes a client of this node. */
    private void connect(JsonNode auth) {
        // Origin and this node's state were checked at the upgrade; checked again since the node may be draining now
        Optional<Handshake.Refused> unavailable = endpoint.authenticator.admit(headers);
        if (unavailable.isPresent()) {
            endpoint.authenticator.record(unavailable.get());
            refuse(unavailable.get().status() == 403 ? "forbidden" : "unavailable", WsCloseCodes.UNEXPECTED_CONDITION);
            return;
        }
        Optional<String> token = Optional.ofNullable(auth.get("token"))
                .filter(JsonNode::isTextual)
                .map(JsonNode::asText)
                .filter(value -> !value.isBlank());
        Handshake handshake = endpoint.authenticator.authenticate(headers, query, token);
        if (handshake instanceof Handshake.Refused refused) {
            endpoint.authenticator.record(refused);
            refuse("unauthorized", 4401);
            return;
        }
        Handshake.Accepted accepted = (Handshake.Accepted) handshake;
        String socketId = ClientLifecycle.newSocketId();
        transport.answerConnectFirst(codec.connected(socketId));
        try {
            client = endpoint.lifecycle.open(socketId, accepted.principal(), accepted.deviceId(), accepted.deviceName(),
                                             accepted.userAgent(), transport);
        } catch (TooManyConnectionsException e) {
            endpoint.authenticator.record(endpoint.authenticator.tooManyConnections(accepted.principal().userId()));
            refuse("too many connections", POLICY_VIOLATION);
            return;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "event=open-failed user={0} error=\"{1}\"",
                    accepted.principal().userId(), e.getMessage());
            refuse("unavailable", WsCloseCodes.UNEXPECTED_CONDITION);
            return;
        }
        long interval = endpoint.settings.pingInterval().toMillis();
        heartbeat = endpoint.scheduler.scheduleAtFixedRate(this::ping, interval, interval, TimeUnit.MILLISECONDS);
    }

    /** CONNECT_ERROR, then the WebSocket closes: socket.io-client reports {@code connect_error} and does not retry. */
    private void refuse(String message, int closeCode) {
        phase.set(CLOSED);
        send(codec.connectError("/", message));
        close(closeCode, message);
    }

    /**
     * Engine.IO heartbeat: a ping every interval whatever else flows (socket.io-client drops a session that gets no
     * ping within interval + timeout), and the session is dropped when its pong does not come within the timeout.
     * Pongs keep the transport alive; presence needs {@code presence:ping} events as on {@code /ws}.
     */
    private void ping() {
        Client current = client;
        if (current == null || current.isEnded()) {
            stopTimers();
            return;
        }
        long sent = endpoint.clock.millis();
        current.outbox().ping();
        endpoint.scheduler.schedule(() -> {
            if (!current.isEnded() && pongMillis < sent) {
                LOG.log(System.Logger.Level.DEBUG, "event=ping-timeout socket={0}", current.socketId());
                endpoint.lifecycle.end(current, DisconnectReason.CONNECTION_LOST, "ping timeout");
                if (ws instanceof PollingSession polling && !polling.upgraded()) {
                    // over polling the client sends no more GETs to fetch a close packet: end the session now
                    polling.abort();
                }
            }
        }, endpoint.settings.pingTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void connectTimedOut() {
        if (phase.compareAndSet(WAITING, CLOSED)) {
            close(POLICY_VIOLATION, "no CONNECT packet in time");
        }
    }

    private void stopTimers() {
        ScheduledFuture<?> deadline = connectDeadline;
        if (deadline != null) {
            deadline.cancel(false);
        }
        ScheduledFuture<?> beat = heartbeat;
        if (beat != null) {
            beat.cancel(false);
        }
    }

    /** Writes a packet directly: only before the session is a client (its outbox writes afterwards). */
    private void send(String packet) {
        try {
            ws.sendText(new OutboundFrame(packet));
        } catch (Exception e) {
            ws.abort();
        }
    }

    /** Closes a session that never became a client; drops it if the peer does not finish the close in time. */
    private void close(int code, String reason) {
        try {
            ws.sendClose(code, reason);
        } catch (Exception e) {
            ws.abort();
            return;
        }
        endpoint.scheduler.schedule(() -> {
            if (ws.isOpen()) {
                ws.abort();
            }
        }, 5, TimeUnit.SECONDS);
    }

    private static String remoteAddress(WsSession session) {
        SocketAddress address = session.socketContext().remotePeer().address();
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return String.valueOf(address);
    }
}
