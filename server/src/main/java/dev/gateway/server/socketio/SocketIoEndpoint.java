package dev.gateway.server.socketio;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;

import dev.gateway.protocol.event.SocketIoCodec;
import dev.gateway.server.gateway.EventRouter;
import dev.gateway.server.node.ClientLifecycle;
import dev.gateway.server.websocket.Handshake;
import dev.gateway.server.websocket.HandshakeAuthenticator;

import io.helidon.common.uri.UriQuery;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.http.Status;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.websocket.WsRouting;

/**
 * The Socket.IO endpoint (PROTOCOL section 8) at {@code /socket.io/?EIO=4}: Engine.IO 4 and Socket.IO 5 on the
 * default namespace, over a WebSocket ({@code transport=websocket}) or HTTP long-polling ({@code transport=polling},
 * a {@link PollingSession}) that the client then upgrades to a WebSocket with the same {@code sid}, so
 * {@code io(url, {auth: {token}})} with default options connects.
 * <p>
 * Before a session opens, as on {@code /ws}: 403 for an Origin not allowed, 503 while the node cannot take sockets,
 * and 400 (with Engine.IO's error codes) for another protocol version, an unknown transport or an unknown
 * {@code sid}. Polling sessions live on the node that created them only: behind a load balancer, polling needs sticky
 * sessions. The token is checked when the CONNECT packet brings it ({@code auth.token}, else the
 * {@code Authorization} header or {@code access_token} query).
 */
public final class SocketIoEndpoint {
    /** The path socket.io-client uses by default. */
    public static final String PATH = "/socket.io/";
    private static final Header TEXT = HeaderValues.create(HeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8");

    final HandshakeAuthenticator authenticator;
    final ClientLifecycle lifecycle;
    final EventRouter router;
    final SocketIoCodec codec;
    final SocketIoSettings settings;
    final ScheduledExecutorService scheduler;
    final Clock clock;
    private final Map<String, PollingSession> pollingSessions = new ConcurrentHashMap<>();

    public SocketIoEndpoint(HandshakeAuthenticator authenticator, ClientLifecycle lifecycle, EventRouter router,
                            SocketIoCodec codec, SocketIoSettings settings, ScheduledExecutorService scheduler, Clock clock) {
        this.authenticator = authenticator;
        this.lifecycle = lifecycle;
        this.router = router;
        this.codec = codec;
        this.settings = settings;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    /** Adds the endpoint to the server's WebSocket routing (one routing holds every WebSocket path: a second replaces it). */
    public WsRouting.Builder wsRouting(WsRouting.Builder routing) {
        return routing.endpoint(PATH, () -> new SocketIoListener(this));
    }

    /** Serves HTTP long-polling; answers other requests that are not a WebSocket upgrade with a JSON refusal. */
    public void httpRouting(HttpRouting.Builder routing) {
        routing.get(PATH, (req, res) -> http(req, res, true)).post(PATH, (req, res) -> http(req, res, false));
    }

    Optional<PollingSession> pollingSession(String sid) {
        return Optional.ofNullable(pollingSessions.get(sid));
    }

    void forget(PollingSession session) {
        pollingSessions.remove(session.sid(), session);
    }

    private void http(ServerRequest req, ServerResponse res, boolean get) throws Exception {
        UriQuery query = req.query();
        boolean polling = query.first("transport").asOptional().map("polling"::equals).orElse(false);
        Optional<String> sid = query.first("sid").asOptional();
        PollingSession session = sid.map(pollingSessions::get).orElse(null);
        Optional<Handshake.Refused> refusal;
        if (!polling || !query.first("EIO").asOptional().map("4"::equals).orElse(false)) {
            refusal = Optional.of(refusal(req.headers(), query, false)
                    .orElseGet(() -> protocolError(400, 3, "Bad request: connect with a WebSocket upgrade "
                            + "(transport=websocket) or transport=polling", "no upgrade")));
        } else if (sid.isPresent() && (session == null || session.isUpgraded())) {
            refusal = Optional.of(protocolError(400, 1, "Session ID unknown", "unknown polling session"));
        } else if (sid.isEmpty() && !get) {
            refusal = Optional.of(protocolError(400, 3, "Bad request: a POST needs a sid", "POST without sid"));
        } else if (sid.isEmpty()) {
            refusal = authenticator.admit(req.headers());
        } else {
            refusal = Optional.empty();
        }
        if (refusal.isPresent()) {
            authenticator.record(refusal.get());
            res.header(HeaderValues.CONTENT_TYPE_JSON).status(Status.create(refusal.get().status()))
                    .send(refusal.get().body());
            return;
        }
        if (session == null) {
            session = new PollingSession(ClientLifecycle.newSocketId(), this, remoteAddress(req));
            pollingSessions.put(session.sid(), session);
            // the headers (Origin, Authorization, User-Agent) are read again at CONNECT, in a later request
            session.listener().openPolling(session, WritableHeaders.create(req.headers()), query);
        }
        if (get) {
            String body = session.poll(sid.isEmpty() ? 0 : settings.pingInterval().toMillis());
            if (body == null) {
                res.header(HeaderValues.CONTENT_TYPE_JSON).status(Status.BAD_REQUEST_400)
                        .send(protocolError(400, 3, "Bad request: one GET at a time", "overlapping GET").body());
                return;
            }
            res.header(TEXT).send(body);
            return;
        }
        byte[] bytes;
        try (InputStream in = req.content().inputStream()) {
            bytes = in.readNBytes(settings.maxPayload() + 1);
        }
        if (bytes.length > settings.maxPayload()) {
            res.status(Status.REQUEST_ENTITY_TOO_LARGE_413).send();
            session.listener().lost("message too big");
            session.abort();
            return;
        }
        session.received(new String(bytes, StandardCharsets.UTF_8));
        res.header(TEXT).send("ok");
    }

    private static String remoteAddress(ServerRequest req) {
        SocketAddress address = req.remotePeer().address();
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return String.valueOf(address);
    }

    /**
     * Why a request to this endpoint cannot become a Socket.IO session, if it cannot. Engine.IO's own error codes
     * ({@code code}) come with the gateway's {@code error} and {@code message}, so both kinds of client can read it.
     */
    Optional<Handshake.Refused> refusal(Headers headers, UriQuery query, boolean upgradesKnownSession) {
        if (!query.first("EIO").asOptional().map("4"::equals).orElse(false)) {
            return Optional.of(protocolError(400, 5, "Unsupported protocol version: this gateway speaks Engine.IO 4 "
                    + "(socket.io-client 3.x and 4.x)", "EIO is not 4"));
        }
        // a WebSocket upgrade needs transport=websocket; polling requests never come here (see http)
        if (!query.first("transport").asOptional().map("websocket"::equals).orElse(false)) {
            return Optional.of(protocolError(400, 0, "Transport unknown: transport=polling or transport=websocket",
                                             "unknown transport"));
        }
        if (query.contains("sid") && !upgradesKnownSession) {
            return Optional.of(protocolError(400, 1, "Session ID unknown: no polling session with this sid on this "
                    + "node (polling needs sticky sessions)", "upgrade of an unknown polling session"));
        }
        return authenticator.admit(headers);
    }

    private Handshake.Refused protocolError(int status, int engineIoCode, String message, String why) {
        String body = "{\"code\":" + engineIoCode + ",\"error\":\"bad-request\",\"message\":"
                + codec.mapper().valueToTree(message).toString() + "}";
        return new Handshake.Refused(status, body, "socket.io: " + why, () -> { });
    }
}
