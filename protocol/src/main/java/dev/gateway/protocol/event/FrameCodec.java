package dev.gateway.protocol.event;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The native wire format (PROTOCOL section 3): one JSON object per text message.
 * <pre>
 * client -> server  {"event": "chat:send", "data": {...}, "ack": 7}
 * server -> client  {"event": "chat:message", "data": {...}}
 * server -> client  {"event": "ack", "ack": 7, "data": {"success": true, ...}}
 * </pre>
 * Thread-safe; share one instance.
 */
public final class FrameCodec {
    /** Encodes as itself in JSON (no character to escape) and is no id Redis gives. */
    private static final String ID_PLACEHOLDER = "@@message-id@@";
    private static final ObjectNode EMPTY = JsonNodeFactory.instance.objectNode();

    private final ObjectMapper mapper;

    public FrameCodec(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public static FrameCodec create() {
        return new FrameCodec(Json.mapper());
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /**
     * Decodes one client message.
     *
     * @throws BadFrameException with {@link ErrorCode#BAD_FRAME} or {@link ErrorCode#VALIDATION}, and the ack id
     *                           when the frame carried a usable one
     */
    public InboundFrame decode(String text) {
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new BadFrameException(ErrorCode.BAD_FRAME, "frame is not valid JSON", OptionalLong.empty());
        }
        if (root == null || !root.isObject()) {
            throw new BadFrameException(ErrorCode.BAD_FRAME, "frame must be a JSON object", OptionalLong.empty());
        }
        OptionalLong ack = OptionalLong.empty();
        JsonNode ackNode = root.get("ack");
        if (ackNode != null && !ackNode.isNull()) {
            if (!ackNode.isIntegralNumber() || !ackNode.canConvertToLong() || ackNode.asLong() < 0) {
                throw new BadFrameException(ErrorCode.BAD_FRAME, "ack must be a non-negative integer", OptionalLong.empty());
            }
            ack = OptionalLong.of(ackNode.asLong());
        }
        JsonNode event = root.get("event");
        if (event == null || !event.isTextual() || event.asText().isEmpty()) {
            throw new BadFrameException(ErrorCode.BAD_FRAME, "frame must have a non-empty string field event", ack);
        }
        JsonNode data = root.get("data");
        if (data == null || data.isNull()) {
            data = EMPTY;
        } else if (!data.isObject()) {
            throw new BadFrameException(ErrorCode.VALIDATION, "data must be an object", ack, Optional.of(event.asText()));
        }
        return new InboundFrame(event.asText(), data, ack);
    }

    /** Encodes a server event frame. */
    public String encode(ServerEvent event) {
        return encode(event.event(), event);
    }

    /**
     * An encoded frame cut where a value goes that only the Redis script writing it knows: the script sends
     * {@code before + value + after}.
     */
    public record Split(String before, String after) {
    }

    /**
     * The {@code chat:message} frame of a message not stored yet, cut where its id goes (chat-send.lua puts the stream
     * entry id there). The id of {@code message} is ignored.
     */
    public Split encodeAroundId(ServerEvent.ChatMessage message) {
        String frame = encode(new ServerEvent.ChatMessage(ID_PLACEHOLDER, message.chatId(), message.senderId(),
                                                          message.content(), message.type(), message.clientMsgId(),
                                                          message.createdAt()));
        // the id is the first field of the data, so the first occurrence is the id's even if the content holds it too
        int at = frame.indexOf(ID_PLACEHOLDER);
        return new Split(frame.substring(0, at), frame.substring(at + ID_PLACEHOLDER.length()));
    }

    /** Encodes a server event frame with any data object. */
    public String encode(String event, Object data) {
        return write(new Outbound(event, null, data));
    }

    /** Encodes a successful ack: {@code {"event":"ack","ack":id,"data":{"success":true, ...fields}}}. */
    public String ackSuccess(long ackId, Map<String, ?> fields) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("success", true);
        data.putAll(fields);
        return write(new Outbound("ack", ackId, data));
    }

    /** Encodes a failed ack with an error object, plus any extra fields (such as {@code status}). */
    public String ackFailure(long ackId, ErrorCode code, String message, Map<String, ?> extra) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("success", false);
        data.putAll(extra);
        Map<String, String> error = new LinkedHashMap<>();
        error.put("code", code.name());
        error.put("message", message);
        data.put("error", error);
        return write(new Outbound("ack", ackId, data));
    }

    /** Encodes an {@code error} event (a failure with no ack id to answer). */
    public String error(ErrorCode code, String message) {
        return encode(new ServerEvent.Error(code, message));
    }

    private String write(Outbound frame) {
        try {
            return mapper.writeValueAsString(frame);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Outbound(String event, Long ack, Object data) {
    }

    /** A client message that cannot be handled as a frame. */
    public static final class BadFrameException extends RuntimeException {
        private final ErrorCode code;
        private final OptionalLong ack;
        private final Optional<String> event;

        BadFrameException(ErrorCode code, String message, OptionalLong ack) {
            this(code, message, ack, Optional.empty());
        }

        BadFrameException(ErrorCode code, String message, OptionalLong ack, Optional<String> event) {
            super(message, null, false, false);
            this.code = code;
            this.ack = ack;
            this.event = event;
        }

        public ErrorCode code() {
            return code;
        }

        public OptionalLong ack() {
            return ack;
        }

        /** The event's name, when the frame got as far as naming it (its {@code data} was what was wrong). */
        public Optional<String> event() {
            return event;
        }
    }
}
