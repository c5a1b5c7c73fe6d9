package dev.gateway.server.websocket;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gateway.server.auth.TokenVerifier;
import dev.gateway.server.connection.PeerAddress;
import dev.gateway.server.dispatch.EventRouter;
import dev.gateway.server.client.ClientLifecycle;
import dev.gateway.server.client.TooManyConnectionsException;
import dev.gateway.server.observe.GatewayMetrics;

import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.websocket.WsRouting;

/**
 * The native WebSocket endpoint at {@code /ws}: the WebSocket route, and the HTTP route at the same path that
 * answers refused upgrades (Helidon hands an upgrade refused in {@code onHttpUpgrade} to HTTP routing) with the
 * 401 / 403 / 429 / 503 and JSON body of the contract, so no socket ever opens for them.
 */
public final class WebSocketEndpoint {
    private static final System.Logger LOG = System.getLogger(WebSocketEndpoint.class.getName());
    public static final String PATH = "/ws";
    private static final String BAD_UPGRADE = "{\"error\":\"bad_request\",\"message\":\"a WebSocket upgrade is a GET with "
            + "Connection: Upgrade, Upgrade: websocket, Sec-WebSocket-Version: 13, a Sec-WebSocket-Key and no body\"}";

    private final HandshakeAuthenticator authenticator;
    private final UpgradeRefusals refusals = new UpgradeRefusals();
    private final ClientLifecycle lifecycle;
    private final EventRouter router;
    private final Clock clock;

    public WebSocketEndpoint(TokenVerifier verifier, List<String> allowedOrigins, BooleanSupplier redisAvailable,
                             BooleanSupplier draining, ClientLifecycle lifecycle, EventRouter router, GatewayMetrics metrics,
                             ObjectMapper mapper, Clock clock) {
        this.authenticator = new HandshakeAuthenticator(verifier, allowedOrigins, redisAvailable, draining, metrics, mapper);
        this.lifecycle = lifecycle;
        this.router = router;
        this.clock = clock;
    }

    /** The handshake checks, shared with the Socket.IO endpoint so that both answer alike. */
    public HandshakeAuthenticator authenticator() {
        return authenticator;
    }

    public WsRouting.Builder wsRouting() {
        return WsRouting.builder().endpoint(PATH, () -> new WsAdapter(this::upgrade));
    }

    /**
     * Checks and registers the socket before the 101, so that every refusal (the per-user socket cap included) is an
     * HTTP answer; the connection opens the admitted socket.
     * <pre>
     *  upgrade: checks, then admit (registered in Redis) ──► 101 ──► opened: open (hub, rooms, connected)
     *     │ refused: remembered for the HTTP route (401/403/429/503)   the upgrade failed after admit:
     *     ▼                                                            the sweeper removes the admission
     * </pre>
     */
    private Optional<WsHandler> upgrade(HttpPrologue prologue, Headers headers) {
        Handshake handshake = authenticator.check(headers, prologue.query());
        if (handshake instanceof Handshake.Refused refused) {
            refusals.remember(prologue, refused);
            return Optional.empty();
        }
        Handshake.Accepted accepted = (Handshake.Accepted) handshake;
        try {
            return Optional.of(new NativeConnection(lifecycle.admit(ClientLifecycle.newSocketId(), accepted.principal(),
                                                                    accepted.deviceId(), accepted.deviceName(),
                                                                    accepted.userAgent(), headers.first(PeerAddress.HEADER)),
                                                    lifecycle, router, clock));
        } catch (TooManyConnectionsException e) {
            refusals.remember(prologue, authenticator.tooManyConnections(accepted.principal().userId()));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "event=register-failed user={0} error=\"{1}\"",
                    accepted.principal().userId(), e.getMessage());
            refusals.remember(prologue, authenticator.unavailable());
        }
        return Optional.empty();
    }

    public void httpRouting(HttpRouting.Builder routing) {
        routing.get(PATH, (req, res) -> {
            Handshake handshake = refusals.take(req.prologue())
                    .map(Handshake.class::cast)
                    .orElseGet(() -> authenticator.check(req.headers(), req.query()));
            res.header(HeaderValues.CONTENT_TYPE_JSON);
            if (handshake instanceof Handshake.Refused refused) {
                authenticator.record(refused);
                res.status(Status.create(refused.status())).send(refused.body());
            } else if (req.headers().contains(HeaderNames.UPGRADE)) {
                // an upgrade the server did not take (an Upgrade value other than websocket, or a request body)
                res.status(Status.BAD_REQUEST_400).send(BAD_UPGRADE);
            } else {
                res.status(Status.UPGRADE_REQUIRED_426)
                        .header(HeaderNames.UPGRADE, "websocket")
                        .send("{\"error\":\"upgrade-required\",\"message\":\"connect with a WebSocket upgrade\"}");
            }
        }).any(PATH, (req, res) -> {
            // an upgrade with a body never reaches the upgrader (which answers 400 to any other method itself)
            if (req.headers().contains(HeaderNames.UPGRADE)) {
                res.status(Status.BAD_REQUEST_400).header(HeaderValues.CONTENT_TYPE_JSON).send(BAD_UPGRADE);
            } else {
                res.next();
            }
        });
    }
}
