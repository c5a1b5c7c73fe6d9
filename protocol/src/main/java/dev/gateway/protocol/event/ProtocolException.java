package dev.gateway.protocol.event;

/**
 * A client frame or request that the gateway refuses, with the code to report.
 * Expected in normal operation: never logged with a stack trace.
 */
public final class ProtocolException extends RuntimeException {
    private final ErrorCode code;

    public ProtocolException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public static ProtocolException validation(String field, String problem) {
        return new ProtocolException(ErrorCode.VALIDATION, field + " " + problem);
    }

    public ErrorCode code() {
        return code;
    }
}
