package dev.gateway.server.websocket;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gateway.protocol.event.Identifiers;
import dev.gateway.server.auth.AuthenticationException;
import dev.gateway.server.auth.Principal;
import dev.gateway.server.auth.TokenVerifier;
import dev.gateway.server.connection.QueryParameters;
import dev.gateway.server.observe.GatewayMetrics;

import io.helidon.common.uri.UriQuery;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;

/**
 * Decides an upgrade request before any socket opens (PROTOCOL section 2): Origin, Redis availability, then the
 * token (header {@code Authorization: Bearer}, else query {@code access_token}); the per-user socket cap is decided
 * by the registration that follows ({@link #tooManyConnections}). Used by the WebSocket listener and
 * by the HTTP route that answers refused upgrades, so both give the same answer. The Socket.IO edge uses the two
 * halves apart: {@link #admit} at the upgrade, {@link #authenticate} when the CONNECT packet brings its token.
 */
public final class HandshakeAuthenticator {
    private static final System.Logger LOG = System.getLogger(HandshakeAuthenticator.class.getName());
    private static final int MAX_DEVICE_NAME = 128;
    private static final String TOO_MANY_CONNECTIONS_BODY = "{\"error\":\"too_many_connections\"}";

    private final TokenVerifier verifier;
    private final List<String> allowedOrigins;
    private final BooleanSupplier redisAvailable;
    private final BooleanSupplier draining;
    private final GatewayMetrics metrics;
    private final ObjectMapper mapper;

    HandshakeAuthenticator(TokenVerifier verifier, List<String> allowedOrigins, BooleanSupplier redisAvailable,
                           BooleanSupplier draining, GatewayMetrics metrics, ObjectMapper mapper) {
        this.verifier = verifier;
        this.allowedOrigins = allowedOrigins;
        this.redisAvailable = redisAvailable;
        this.draining = draining;
        this.metrics = metrics;
        this.mapper = mapper;
    }

    Handshake check(Headers headers, UriQuery query) {
        Optional<Handshake.Refused> refused = admit(headers);
        if (refused.isPresent()) {
            return refused.get();
        }
        return authenticate(headers, query, Optional.empty());
    }

    /** The checks that need no token: Origin (403), then this node's ability to take a socket (503). */
    public Optional<Handshake.Refused> admit(Headers headers) {
        Optional<String> origin = headers.first(HeaderNames.ORIGIN);
        if (!allowedOrigins.isEmpty() && origin.isPresent() && !allowedOrigins.contains(origin.get())) {
            return Optional.of(refuse(403, "forbidden", "origin not allowed", "origin " + origin.get() + " not allowed",
                                      metrics::originRefused));
        }
        if (draining.getAsBoolean()) {
            return Optional.of(refuse(503, "unavailable", "node is shutting down", "node is shutting down",
                                      metrics::unavailableRefused));
        }
        if (!redisAvailable.getAsBoolean()) {
            return Optional.of(refuse(503, "unavailable", "Redis is unavailable", "Redis is unavailable",
                                      metrics::unavailableRefused));
        }
        return Optional.empty();
    }

    /** The refusal of a handshake whose user has {@code MAX_SOCKETS_PER_USER} live sockets already (429). */
    public Handshake.Refused tooManyConnections(String userId) {
        return new Handshake.Refused(429, TOO_MANY_CONNECTIONS_BODY, "too many connections for user " + userId,
                                     metrics::tooManyConnectionsRefused);
    }

    /** The refusal of a handshake this node could not register because Redis failed (503). */
    public Handshake.Refused unavailable() {
        return refuse(503, "unavailable", "Redis is unavailable", "registration failed", metrics::unavailableRefused);
    }

    /**
     * Verifies the token and reads the device: accepted, or refused with 401.
     *
     * @param token a token from elsewhere (a Socket.IO CONNECT packet's {@code auth.token}); when empty, the request's
     *              {@code Authorization} header, else its {@code access_token} query parameter
     */
    public Handshake authenticate(Headers headers, UriQuery query, Optional<String> token) {
        Principal principal;
        try {
            principal = verifier.verify(token.isPresent() ? token.get() : token(headers, query), TokenVerifier.PRESENTED_TOKEN_SKEW_SECONDS);
        } catch (AuthenticationException e) {
            return refuse(401, "unauthorized", e.getMessage(), e.getMessage(), () -> metrics.authFailed(e.reason()));
        }
        String deviceId = param(query, "deviceId").or(principal::deviceId).orElse("default");
        if (!Identifiers.isValid(deviceId)) {
            return refuse(401, "unauthorized", "deviceId must be " + Identifiers.RULE, "bad deviceId",
                          () -> metrics.authFailed(AuthenticationException.Reason.CLAIMS));
        }
        String deviceName = param(query, "deviceName").orElse("");
        if (deviceName.length() > MAX_DEVICE_NAME) {
            deviceName = deviceName.substring(0, MAX_DEVICE_NAME);
        }
        return new Handshake.Accepted(principal, deviceId, deviceName, headers.first(HeaderNames.USER_AGENT).orElse(""));
    }

    /**
     * The bearer token: an {@code Authorization} header wins, and one that is not a valid Bearer token is refused
     * even when the query holds a good token.
     */
    private static String token(Headers headers, UriQuery query) throws AuthenticationException {
        Optional<String> authorization = headers.first(HeaderNames.AUTHORIZATION);
        if (authorization.isPresent()) {
            String value = authorization.get().trim();
            if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw new AuthenticationException(AuthenticationException.Reason.MALFORMED,
                                                  "Authorization header must be 'Bearer <token>'");
            }
            return value.substring(7).trim();
        }
        return param(query, "access_token")
                .orElseThrow(() -> new AuthenticationException(AuthenticationException.Reason.MISSING, "missing token"));
    }

    private static Optional<String> param(UriQuery query, String name) {
        return QueryParameters.trimmed(query, name);
    }

    /**
     * Counts and logs a refusal. Called once per refused request, by the HTTP route that answers it (the upgrade
     * attempt itself only falls through to that route).
     */
    public void record(Handshake.Refused refused) {
        refused.count().run();
        LOG.log(System.Logger.Level.INFO, "event=handshake-refused status={0} reason=\"{1}\"",
                Integer.toString(refused.status()), refused.why());
    }

    private Handshake.Refused refuse(int status, String error, String message, String why, Runnable count) {
        return new Handshake.Refused(status, body(error, message), why, count);
    }

    private String body(String error, String message) {
        try {
            Map<String, String> body = new LinkedHashMap<>();
            body.put("error", error);
            body.put("message", message);
            return mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
