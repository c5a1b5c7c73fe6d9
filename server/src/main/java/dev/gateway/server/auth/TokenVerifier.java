package dev.gateway.server.auth;

import dev.gateway.protocol.event.ClientEvent;

/** Turns a bearer token into a {@link Principal}, or refuses it. */
public interface TokenVerifier {
    /** Largest token accepted, in characters (PROTOCOL section 2). */
    int MAX_TOKEN_LENGTH = ClientEvent.AuthRefresh.MAX_TOKEN_LENGTH;
    /**
     * Clock skew allowed between the token's issuer and this node when a token is presented (at the handshake and in
     * {@code auth:refresh}); the sweeper's expiry of a connected socket allows none.
     */
    long PRESENTED_TOKEN_SKEW_SECONDS = 5;

    /**
     * Verifies a token: signature, algorithm, {@code exp} (required), {@code nbf} and {@code iat} with the clock skew,
     * and {@code iss} / {@code aud} when configured.
     *
     * @param skewSeconds allowed clock skew; 0 when re-checking a connected socket
     */
    Principal verify(String token, long skewSeconds) throws AuthenticationException;
}
