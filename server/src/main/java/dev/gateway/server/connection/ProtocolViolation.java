package dev.gateway.server.connection;

/**
 * A client frame that breaks RFC 6455 or the gateway's size cap: the connection closes with {@link #closeCode()}
 * (1002 protocol error, 1007 invalid UTF-8, 1009 too big). A client's mistake, not a server failure: no stack trace.
 */
final class ProtocolViolation extends Exception {
    static final int PROTOCOL_ERROR = 1002;
    static final int INVALID_PAYLOAD = 1007;
    static final int TOO_BIG = 1009;

    private final int closeCode;

    ProtocolViolation(int closeCode, String reason) {
        super(reason, null, false, false);
        this.closeCode = closeCode;
    }

    int closeCode() {
        return closeCode;
    }

    /** The close frame's reason: short, ASCII, never internal details. */
    String reason() {
        return getMessage();
    }
}
