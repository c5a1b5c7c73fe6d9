package dev.gateway.server.config;

/** The gateway cannot start; the message is the one-line reason shown to the operator. */
public final class StartupException extends RuntimeException {
    public StartupException(String message) {
        super(message, null, false, false);
    }

    public StartupException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
