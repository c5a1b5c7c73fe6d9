package dev.gateway.server.socketio;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

import dev.gateway.protocol.event.SocketIoCodec;
import dev.gateway.server.gateway.EventRouter;
import dev.gateway.server.node.ClientLifecycle;
import dev.gateway.server.websocket.Handshake;
import dev.gateway.server.websocket.HandshakeAuthenticator;

import io.helidon.common.uri.UriQuery;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.websocket.WsRouting;

/**
 * The Socket.IO endpoint (PROTOCOL section 8) at {@code /socket.io/?EIO=4&transport=websocket}: Engine.IO 4 and
 * Socket.IO 5 on the default namespace, over a WebSocket only. Clients connect with
 * {@code io(url, {auth: {token}, transports: ["websocket"]})}.
 * <p>
 * Before the upgrade, as on {@code /ws}: 403 for an Origin not allowed, 503 while the node cannot take sockets, and
 * 400 (with Engine.IO's error codes) for what this endpoint does not serve: another protocol version, the HTTP
 * long-polling transport, or a polling session's upgrade. The token is checked after the upgrade, when the CONNECT
 * packet brings it ({@code auth.token}, else the {@code Authorization} header or {@code access_token} query).
 */
public final class SocketIoEndpoint {
    /** The path socket.io-client uses by default. */
    public static final String PATH = "/socket.io/";

    final HandshakeAuthenticator authenticator;
    final ClientLifecycle lifecycle;
    final EventRouter router;
    final SocketIoCodec codec;
    final SocketIoSettings settings;
    final ScheduledExecutorService scheduler;
    final Clock clock;

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

    /** Answers requests that are not a WebSocket upgrade this endpoint accepts (polling, refusals) with JSON. */
    public void httpRouting(HttpRouting.Builder routing) {
        Handler handler = (req, res) -> {
            Handshake.Refused refused = refusal(req.headers(), req.query())
                    .orElseGet(() -> protocolError(400, 3, "Bad request: connect with a WebSocket upgrade "
                            + "(transport=websocket)", "no upgrade"));
            authenticator.record(refused);
            res.header(HeaderValues.CONTENT_TYPE_JSON).status(Status.create(refused.status())).send(refused.body());
        };
        routing.get(PATH, handler).post(PATH, handler);
    }

    /**
     * Why a request to this endpoint cannot become a Socket.IO session, if it cannot. Engine.IO's own error codes
     * ({@code code}) come with the gateway's {@code error} and {@code message}, so both kinds of client can read it.
     */
    Optional<Handshake.Refused> refusal(Headers headers, UriQuery query) {
        if (!query.first("EIO").asOptional().map("4"::equals).orElse(false)) {
            return Optional.of(protocolError(400, 5, "Unsupported protocol version: this gateway speaks Engine.IO 4 "
                    + "(socket.io-client 3.x and 4.x)", "EIO is not 4"));
        }
        if (!query.first("transport").asOptional().map("websocket"::equals).orElse(false)) {
            return Optional.of(protocolError(400, 0, "Transport unknown: only transport=websocket is served; connect with "
                    + "transports: [\"websocket\"]", "transport is not websocket"));
        }
        if (query.contains("sid")) {
            return Optional.of(protocolError(400, 1, "Session ID unknown: there are no polling sessions to upgrade; "
                    + "connect with transports: [\"websocket\"]", "upgrade of a polling session"));
        }
        return authenticator.admit(headers);
    }

    private Handshake.Refused protocolError(int status, int engineIoCode, String message, String why) {
        String body = "{\"code\":" + engineIoCode + ",\"error\":\"bad-request\",\"message\":"
                + codec.mapper().valueToTree(message).toString() + "}";
        return new Handshake.Refused(status, body, "socket.io: " + why, () -> { });
    }
}
