package dev.gateway.protocol.event;

import java.util.Map;

/**
 * A client frame or request that the gateway refuses, with the code to report.
 * Expected in normal operation: never logged with a stack trace.
 */
public final class ProtocolException extends RuntimeException {
    private final ErrorCode code;
    private final Map<String, ?> ackFields;

    public ProtocolException(ErrorCode code, String message) {
        this(code, message, Map.of());
    }

    private ProtocolException(ErrorCode code, String message, Map<String, ?> ackFields) {
        super(message, null, false, false);
        this.code = code;
        this.ackFields = ackFields;
    }

    public static ProtocolException validation(String field, String problem) {
        return new ProtocolException(ErrorCode.VALIDATION, field + " " + problem);
    }

    /** The same refusal, with fields the failed ack carries besides {@code success} and {@code error}. */
    public ProtocolException withAckFields(Map<String, ?> fields) {
        return new ProtocolException(code, getMessage(), fields);
    }

    public ErrorCode code() {
        return code;
    }

    /** Fields of the failed ack besides {@code success} and {@code error} (such as chat:send's {@code status}). */
    public Map<String, ?> ackFields() {
        return ackFields;
    }
}
