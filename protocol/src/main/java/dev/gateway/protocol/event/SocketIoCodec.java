package dev.gateway.protocol.event;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gateway.protocol.event.FrameCodec.BadFrameException;

/**
 * The Socket.IO wire format (PROTOCOL section 8): Socket.IO 5 packets of the default namespace, carried in Engine.IO 4
 * message packets (the Engine.IO session itself reads the Engine.IO layer). The gateway's events are JSON: binary
 * packets are read and refused.
 * <pre>
 * Engine.IO   0{open json}  1 close  2 ping  3 pong  4&lt;socket.io packet&gt;  5 upgrade  6 noop
 * Socket.IO   0 CONNECT [/nsp,][{auth}]   1 DISCONNECT   2 EVENT [/nsp,][ackId]["name",data]
 *             3 ACK [/nsp,]ackId[data]   4 CONNECT_ERROR {"message"}   5/6 BINARY_EVENT/ACK N-[...] + N attachments
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

    /** Event names socket.io-client reserves for itself; an EVENT carrying one is not a valid packet. */
    private static final Set<String> RESERVED_EVENTS = Set.of("connect", "connect_error", "disconnect", "disconnecting",
                                                              "newListener", "removeListener");
    /** Attachments one binary packet may announce (each one is a whole message of its own). */
    private static final int MAX_ATTACHMENTS = 100;
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

    /** One Socket.IO packet from a client (the data of an Engine.IO message packet). */
    public sealed interface Packet {
        /** CONNECT to a namespace, with the {@code auth} object (empty when none). */
        record Connect(String namespace, JsonNode auth) implements Packet {
        }

        /** DISCONNECT of a namespace. */
        record Disconnect(String namespace) implements Packet {
        }

        /** EVENT of the default namespace: exactly what a native frame decodes to. */
        record Event(InboundFrame frame) implements Packet {
        }

        /**
         * BINARY_EVENT or BINARY_ACK: its {@code attachments} binary messages follow; the gateway reads them and
         * refuses the whole (its events are JSON).
         *
         * @param ack the ack id (an event's request for an answer, or the id a BINARY_ACK answers)
         */
        record Binary(String namespace, int attachments, OptionalLong ack) implements Packet {
        }

        /**
         * A valid packet the gateway has nothing to do with: an ACK (the gateway never asks for one), a CONNECT_ERROR,
         * or an EVENT for a namespace the client cannot have joined (Socket.IO ignores those too).
         */
        record Ignored(String namespace) implements Packet {
        }
    }

    /**
     * Thrown for text that is not a valid Socket.IO packet (unknown type, bad attachment count, payload that is not
     * JSON or not of the type's shape, bad ack id): Socket.IO closes the connection then (PROTOCOL section 8).
     */
    public static final class InvalidPacketException extends RuntimeException {
        InvalidPacketException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Decodes one Socket.IO packet.
     *
     * @throws InvalidPacketException when it is not a valid Socket.IO packet
     * @throws BadFrameException      for a valid EVENT the gateway cannot take ({@link ErrorCode#VALIDATION} when its
     *                                data is not an object), with its ack id
     */
    public Packet decode(String text) {
        if (text.isEmpty()) {
            throw invalid("empty packet");
        }
        char type = text.charAt(0);
        if (type < '0' || type > '6') {
            throw invalid("unknown packet type " + type);
        }
        int at = 1;
        int attachments = 0;
        if (type == '5' || type == '6') {
            int dash = text.indexOf('-', at);
            if (dash <= at || dash - at > 4 || !digits(text, at, dash)) {
                throw invalid("illegal attachments");
            }
            attachments = Integer.parseInt(text.substring(at, dash));
            if (attachments > MAX_ATTACHMENTS) {
                throw invalid("more than " + MAX_ATTACHMENTS + " attachments");
            }
            at = dash + 1;
        }
        String namespace = "/";
        if (at < text.length() && text.charAt(at) == '/') {
            int comma = text.indexOf(',', at);
            namespace = comma < 0 ? text.substring(at) : text.substring(at, comma);
            at = comma < 0 ? text.length() : comma + 1;
        }
        int idEnd = at;
        while (idEnd < text.length() && Character.isDigit(text.charAt(idEnd))) {
            idEnd++;
        }
        OptionalLong ack = OptionalLong.empty();
        if (idEnd > at) {
            if (idEnd - at > 15) {
                throw invalid("ack id out of range");
            }
            ack = OptionalLong.of(Long.parseLong(text.substring(at, idEnd)));
        }
        JsonNode payload = payload(text.substring(idEnd));
        return switch (type) {
            case '0' -> {
                if (payload != null && !payload.isObject()) {
                    throw invalid("CONNECT payload must be an object");
                }
                yield new Packet.Connect(namespace, payload == null ? EMPTY : payload);
            }
            case '1' -> {
                if (payload != null) {
                    throw invalid("DISCONNECT has no payload");
                }
                yield new Packet.Disconnect(namespace);
            }
            case '2' -> event(namespace, eventArray(payload), ack);
            case '3' -> {
                requireArray(payload, "ACK");
                yield new Packet.Ignored(namespace);
            }
            case '4' -> {
                if (payload == null || !(payload.isObject() || payload.isTextual())) {
                    throw invalid("CONNECT_ERROR payload must be an object or a string");
                }
                yield new Packet.Ignored(namespace);
            }
            case '5' -> {
                eventArray(payload);
                yield new Packet.Binary(namespace, attachments, ack);
            }
            default -> {
                requireArray(payload, "BINARY_ACK");
                yield new Packet.Binary(namespace, attachments, ack);
            }
        };
    }

    private JsonNode payload(String json) {
        if (json.isEmpty()) {
            return null;
        }
        try {
            JsonNode payload = mapper.readTree(json);
            if (payload == null) {
                throw invalid("payload is not JSON");
            }
            return payload;
        } catch (JsonProcessingException e) {
            throw invalid("payload is not JSON");
        }
    }

    /** An EVENT's array: its first element is the event name (a string that is not reserved, or a number). */
    private static JsonNode eventArray(JsonNode payload) {
        requireArray(payload, "EVENT");
        JsonNode name = payload.path(0);
        if (!(name.isNumber() || name.isTextual() && !RESERVED_EVENTS.contains(name.asText()))) {
            throw invalid("EVENT must start with an event name");
        }
        return payload;
    }

    private static void requireArray(JsonNode payload, String type) {
        if (payload == null || !payload.isArray() || type.contains("EVENT") && payload.isEmpty()) {
            throw invalid(type + " payload must be an array");
        }
    }

    private Packet event(String namespace, JsonNode array, OptionalLong ack) {
        if (!namespace.equals("/")) {
            return new Packet.Ignored(namespace);
        }
        JsonNode data = array.size() > 1 ? array.get(1) : null;
        if (data == null || data.isNull()) {
            data = EMPTY;
        } else if (!data.isObject()) {
            throw new BadFrameException(ErrorCode.VALIDATION, "data must be an object", ack,
                                        Optional.of(array.get(0).asText()));
        }
        return new Packet.Event(new InboundFrame(array.get(0).asText(), data, ack));
    }

    private static boolean digits(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!Character.isDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static InvalidPacketException invalid(String message) {
        return new InvalidPacketException(message);
    }

    /**
     * The answer to a binary packet once its attachments are read: refused like any event the gateway does not take
     * (its events are JSON), with the packet's ack id when it had one.
     */
    public BadFrameException binaryRefused(OptionalLong ack) {
        return new BadFrameException(ErrorCode.BAD_FRAME, "binary packets are not supported; send JSON", ack);
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

}
