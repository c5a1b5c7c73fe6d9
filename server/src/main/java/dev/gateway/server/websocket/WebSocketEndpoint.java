package dev.gateway.server.websocket;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gateway.server.auth.TokenVerifier;
import dev.gateway.server.gateway.EventRouter;
import dev.gateway.server.node.ClientLifecycle;
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
 * 401 / 403 / 503 and JSON body of the contract, so no socket ever opens for them.
 */
public final class WebSocketEndpoint {
    public static final String PATH = "/ws";

    private final HandshakeAuthenticator authenticator;
    private final ClientLifecycle lifecycle;
    private final EventRouter router;
    private final Clock clock;
    private final int maxMessageBytes;

    public WebSocketEndpoint(TokenVerifier verifier, List<String> allowedOrigins, BooleanSupplier redisAvailable,
                             BooleanSupplier draining, ClientLifecycle lifecycle, EventRouter router, GatewayMetrics metrics,
                             ObjectMapper mapper, int maxMessageBytes, Clock clock) {
        this.authenticator = new HandshakeAuthenticator(verifier, allowedOrigins, redisAvailable, draining, metrics, mapper);
        this.lifecycle = lifecycle;
        this.router = router;
        this.clock = clock;
        this.maxMessageBytes = maxMessageBytes;
    }

    /** The handshake checks, shared with the Socket.IO endpoint so that both answer alike. */
    public HandshakeAuthenticator authenticator() {
        return authenticator;
    }

    public WsRouting.Builder wsRouting() {
        return WsRouting.builder().endpoint(PATH, () -> new WsAdapter(this::upgrade, maxMessageBytes));
    }

    private Optional<WsHandler> upgrade(HttpPrologue prologue, Headers headers) {
        if (authenticator.check(headers, prologue.query()) instanceof Handshake.Accepted accepted) {
            return Optional.of(new NativeConnection(accepted, lifecycle, router, clock));
        }
        return Optional.empty();
    }

    public void httpRouting(HttpRouting.Builder routing) {
        routing.get(PATH, (req, res) -> {
            Handshake handshake = authenticator.check(req.headers(), req.query());
            res.header(HeaderValues.CONTENT_TYPE_JSON);
            if (handshake instanceof Handshake.Refused refused) {
                authenticator.record(refused);
                res.status(Status.create(refused.status())).send(refused.body());
            } else {
                res.status(Status.UPGRADE_REQUIRED_426)
                        .header(HeaderNames.UPGRADE, "websocket")
                        .send("{\"error\":\"upgrade-required\",\"message\":\"connect with a WebSocket upgrade\"}");
            }
        });
    }
}
