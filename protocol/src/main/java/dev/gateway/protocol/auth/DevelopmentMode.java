package dev.gateway.protocol.auth;

/**
 * Development mode ({@code make run}): the gateway and {@code gatewayctl token} share a fixed, public JWT secret so
 * that a fresh clone works without configuration; the server API and the admin page accept a fixed, public key. Never use it in production: anyone can mint tokens with it.
 */
public final class DevelopmentMode {
    /** Environment variable that turns development mode on ({@code true}). */
    public static final String ENV = "GATEWAY_DEV_MODE";
    /** The fixed HS256 secret used when {@code JWT_SECRET} is unset in development mode (47 bytes). */
    public static final String JWT_SECRET = "gateway-development-secret-do-not-use-in-prod!!";

    /** The fixed server API key used when {@code GATEWAY_API_KEY} is unset in development mode (43 bytes). */
    public static final String API_KEY = "gateway-development-api-key-do-not-use-prod";

    private DevelopmentMode() {
    }
}
