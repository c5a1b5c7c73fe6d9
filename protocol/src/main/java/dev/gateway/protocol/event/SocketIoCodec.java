package dev.gateway.protocol.event;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gateway.protocol.event.FrameCodec.BadFrameException;

/**
 * The Socket.IO wire format (PROTOCOL section 8): Engine.IO 4 packets over one WebSocket, carrying Socket.IO 5
 * packets of the default namespace. Text packets only; the gateway's events are JSON.
 * <pre>
 * Engine.IO   0{open json}  1 close  2 ping  3 pong  4&lt;socket.io packet&gt;  5 upgrade  6 noop
 * Socket.IO   0 CONNECT [/nsp,][{auth}]   1 DISCONNECT   2 EVENT [/nsp,][ackId]["name",data]
 *             3 ACK [/nsp,]ackId[data]   4 CONNECT_ERROR {"message"}   5/6 binary EVENT/ACK (unsupported)
 *
 * client -> server   42 7 ["chat:send",{...}]        = native {"event":"chat:send","data":{...},"ack":7}
 * server -> client   42["chat:message",{...}]          = native {"event":"chat:message","data":{...}}
 * server -> client   43 7 [{"success":true,...}]       = native {"event":"ack","ack":7,"data":{...}}
 * </pre>
 * Client events decode into the same {@link InboundFrame} as native frames, so every handler serves both wires.
 * Server frames are encoded once in the native format; {@link #fromNative} turns such a frame into its Socket.IO
 * packet by slicing (the native encoder's layout is fixed), so a frame shared by many sockets is translated once.
 * Thread-safe; share one instance.
 */
public final class SocketIoCodec {
    /** Engine.IO ping, sent by the server every ping interval. */
    public static final String PING = "2";
    /** Engine.IO pong, the client's answer (and the server's answer to a client ping, with its payload). */
    public static final String PONG = "3";
    /** Socket.IO DISCONNECT of the default namespace: the server ends the session; the client does not reconnect. */
    public static final String DISCONNECT = "41";

    private static final ObjectNode EMPTY = JsonNodeFactory.instance.objectNode();
    private static final String NATIVE_PREFIX = "{\"event\":\"";

    private final ObjectMapper mapper;
    private final UnaryOperator<String> translation = this::fromNative;

    public SocketIoCodec(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public static SocketIoCodec create() {
        return new SocketIoCodec(Json.mapper());
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /** One packet from a client. */
    public sealed interface Packet {
        /** Engine.IO close: the client ends the session. */
        record Close() implements Packet {
        }

        /** Engine.IO ping (answered with a pong carrying the same payload). */
        record Ping(String payload) implements Packet {
        }

        /** Engine.IO pong, answering the server's ping. */
        record Pong() implements Packet {
        }

        /** Engine.IO noop or upgrade: nothing to do over a WebSocket-only session. */
        record Noop() implements Packet {
        }

        /** Socket.IO CONNECT to a namespace, with the {@code auth} object (empty when none). */
        record Connect(String namespace, JsonNode auth) implements Packet {
        }

        /** Socket.IO DISCONNECT of a namespace. */
        record Disconnect(String namespace) implements Packet {
        }

        /** Socket.IO EVENT of the default namespace: exactly what a native frame decodes to. */
        record Event(InboundFrame frame) implements Packet {
        }

        /** Socket.IO ACK from the client (the gateway never asks for one: ignored). */
        record ClientAck() implements Packet {
        }
    }

    /**
     * Decodes one text message of a client.
     *
     * @throws BadFrameException {@link ErrorCode#BAD_FRAME} for anything that is not a packet this gateway serves
     *                           (with the ack id when an EVENT carried a usable one), {@link ErrorCode#VALIDATION}
     *                           for an EVENT whose data is not an object
     */
    public Packet decode(String text) {
        if (text.isEmpty()) {
            throw bad("empty packet", OptionalLong.empty());
        }
        return switch (text.charAt(0)) {
            case '1' -> new Packet.Close();
            case '2' -> new Packet.Ping(text.substring(1));
            case '3' -> new Packet.Pong();
            case '5', '6' -> new Packet.Noop();
            case '4' -> decodeSocketIo(text);
            default -> throw bad("not an Engine.IO packet", OptionalLong.empty());
        };
    }

    private Packet decodeSocketIo(String text) {
        if (text.length() < 2) {
            throw bad("empty Socket.IO packet", OptionalLong.empty());
        }
        char type = text.charAt(1);
        int at = 2;
        String namespace = "/";
        if (at < text.length() && text.charAt(at) == '/') {
            int comma = text.indexOf(',', at);
            namespace = comma < 0 ? text.substring(at) : text.substring(at, comma);
            at = comma < 0 ? text.length() : comma + 1;
        }
        return switch (type) {
            case '0' -> new Packet.Connect(namespace, auth(text.substring(at)));
            case '1' -> new Packet.Disconnect(namespace);
            case '2' -> event(namespace, text, at);
            case '3' -> new Packet.ClientAck();
            case '5', '6' -> throw bad("binary packets are not supported; send JSON", OptionalLong.empty());
            default -> throw bad("unknown Socket.IO packet type " + type, OptionalLong.empty());
        };
    }

    private JsonNode auth(String json) {
        if (json.isEmpty()) {
            return EMPTY;
        }
        try {
            JsonNode auth = mapper.readTree(json);
            return auth != null && auth.isObject() ? auth : EMPTY;
        } catch (JsonProcessingException e) {
            return EMPTY;
        }
    }

    private Packet.Event event(String namespace, String text, int at) {
        int digits = at;
        while (digits < text.length() && digits - at < 18 && Character.isDigit(text.charAt(digits))) {
            digits++;
        }
        OptionalLong ack = digits > at ? OptionalLong.of(Long.parseLong(text.substring(at, digits))) : OptionalLong.empty();
        if (!namespace.equals("/")) {
            throw bad("only the default namespace / is served", ack);
        }
        JsonNode array;
        try {
            array = mapper.readTree(text.substring(digits));
        } catch (JsonProcessingException e) {
            throw bad("event payload is not valid JSON", ack);
        }
        if (array == null || !array.isArray() || array.isEmpty() || !array.get(0).isTextual() || array.get(0).asText().isEmpty()) {
            throw bad("event payload must be an array starting with a non-empty event name", ack);
        }
        JsonNode data = array.size() > 1 ? array.get(1) : null;
        if (data == null || data.isNull()) {
            data = EMPTY;
        } else if (!data.isObject()) {
            throw new BadFrameException(ErrorCode.VALIDATION, "data must be an object", ack);
        }
        return new Packet.Event(new InboundFrame(array.get(0).asText(), data, ack));
    }

    /** The Engine.IO open packet, the first thing the server sends on a new session. */
    public String open(String sid, long pingIntervalMillis, long pingTimeoutMillis, int maxPayload) {
        return open(sid, false, pingIntervalMillis, pingTimeoutMillis, maxPayload);
    }

    /**
     * The open packet of a session that may upgrade: an HTTP long-polling session offers {@code ["websocket"]}, a
     * WebSocket session nothing.
     */
    public String open(String sid, boolean upgradeToWebSocket, long pingIntervalMillis, long pingTimeoutMillis,
                       int maxPayload) {
        Map<String, Object> open = new LinkedHashMap<>();
        open.put("sid", sid);
        open.put("upgrades", upgradeToWebSocket ? new String[] {"websocket"} : new String[0]);
        open.put("pingInterval", pingIntervalMillis);
        open.put("pingTimeout", pingTimeoutMillis);
        open.put("maxPayload", maxPayload);
        return "0" + write(open);
    }

    /** Socket.IO CONNECT answer: the session is open, {@code sid} is the socket's id. */
    public String connected(String sid) {
        return "40" + write(Map.of("sid", sid));
    }

    /** Socket.IO CONNECT_ERROR for a namespace ({@code "/"} for the default one). */
    public String connectError(String namespace, String message) {
        return "44" + (namespace.equals("/") ? "" : namespace + ",") + write(Map.of("message", message));
    }

    /** {@link #fromNative} as one shared function, so a frame's translation can be cached by its identity. */
    public UnaryOperator<String> translation() {
        return translation;
    }

    /**
     * Turns a native server frame into its Socket.IO packet: {@code {"event":"ack","ack":N,"data":D}} into
     * {@code 43N[D]}, {@code {"event":"X","data":D}} into {@code 42["X",D]}. {@link FrameCodec} always writes
     * {@code event}, then {@code ack}, then {@code data}, so this only slices; any other layout is re-parsed.
     */
    public String fromNative(String frame) {
        if (frame.startsWith(NATIVE_PREFIX) && frame.endsWith("}")) {
            int nameEnd = endOfString(frame, NATIVE_PREFIX.length());
            if (nameEnd > 0) {
                String name = frame.substring(NATIVE_PREFIX.length() - 1, nameEnd + 1); // with its quotes, still JSON
                int rest = nameEnd + 1;
                if (name.equals("\"ack\"") && frame.startsWith(",\"ack\":", rest)) {
                    int digits = rest + 7;
                    int end = digits;
                    while (end < frame.length() && Character.isDigit(frame.charAt(end))) {
                        end++;
                    }
                    if (end > digits && frame.startsWith(",\"data\":", end)) {
                        return "43" + frame.substring(digits, end) + "[" + frame.substring(end + 8, frame.length() - 1) + "]";
                    }
                } else if (frame.startsWith(",\"data\":", rest)) {
                    return "42[" + name + "," + frame.substring(rest + 8, frame.length() - 1) + "]";
                } else if (rest == frame.length() - 1) {
                    return "42[" + name + "]";
                }
            }
        }
        return reencode(frame);
    }

    /** Index of the closing quote of the JSON string whose content starts at {@code from}, or -1. */
    private static int endOfString(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        return -1;
    }

    private String reencode(String frame) {
        try {
            JsonNode root = mapper.readTree(frame);
            JsonNode data = root.get("data");
            JsonNode ack = root.get("ack");
            if (ack != null && ack.canConvertToLong() && "ack".equals(root.path("event").asText())) {
                return "43" + ack.asLong() + "[" + (data == null ? "" : write(data)) + "]";
            }
            return "42[" + write(root.path("event").asText()) + (data == null ? "" : "," + write(data)) + "]";
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a native frame: " + frame, e);
        }
    }

    private String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BadFrameException bad(String message, OptionalLong ack) {
        return new BadFrameException(ErrorCode.BAD_FRAME, message, ack);
    }
}
