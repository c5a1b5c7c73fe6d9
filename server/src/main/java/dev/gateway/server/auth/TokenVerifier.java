package dev.gateway.server.auth;

/** Turns a bearer token into a {@link Principal}, or refuses it. */
public interface TokenVerifier {
    /** Largest token accepted, in characters (PROTOCOL section 2). */
    int MAX_TOKEN_LENGTH = 8192;

    /**
     * Verifies a token: signature, algorithm, {@code exp} (required), {@code nbf} and {@code iat} with the clock skew,
     * and {@code iss} / {@code aud} when configured.
     *
     * @param skewSeconds allowed clock skew; 0 when re-checking a connected socket
     */
    Principal verify(String token, long skewSeconds) throws AuthenticationException;
}
