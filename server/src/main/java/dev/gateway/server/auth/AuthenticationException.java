package dev.gateway.server.auth;

import java.util.Locale;

/**
 * A token was refused. Expected in normal operation: logged without a stack trace, never with the token.
 */
public final class AuthenticationException extends Exception {
    private final Reason reason;

    public AuthenticationException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    /** Why, as a closed set: the {@code reason} tag of the auth-failure metric. */
    public Reason reason() {
        return reason;
    }

    /** Why a token was refused. */
    public enum Reason {
        MISSING,
        MALFORMED,
        TOO_LARGE,
        ALGORITHM,
        /** A {@code crit} header: it names extensions the gateway does not understand (RFC 7515 4.1.11). */
        CRITICAL_HEADER,
        SIGNATURE,
        EXPIRED,
        NOT_YET_VALID,
        CLAIMS;

        public String tag() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }
}
