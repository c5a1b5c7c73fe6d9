package dev.gateway.server.socketio;

/**
 * Engine.IO's handshake errors, with the codes its clients know (the JSON body's {@code code}); every one is answered
 * with HTTP 400.
 */
public enum EngineIoError {
    TRANSPORT_UNKNOWN(0, "Transport unknown: transport=polling or transport=websocket"),
    SESSION_ID_UNKNOWN(1, "Session ID unknown: no session with this sid on this node (polling needs sticky sessions)"),
    BAD_HANDSHAKE_METHOD(2, "Bad handshake method: a session opens with GET"),
    BAD_REQUEST(3, "Bad request"),
    UNSUPPORTED_PROTOCOL_VERSION(5, "Unsupported protocol version: this gateway speaks Engine.IO 4 (socket.io-client 3.x and 4.x)");

    private final int code;
    private final String message;

    EngineIoError(int code, String message) {
        this.code = code;
        this.message = message;
    }

    public int code() {
        return code;
    }

    public String message() {
        return message;
    }
}
