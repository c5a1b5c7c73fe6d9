package dev.gateway.protocol.store;

import java.util.List;
import java.util.Optional;

import dev.gateway.protocol.event.FrameCodec;

/**
 * What travels on a room channel ({@code gw:room:{room}}): one header line, then the client frame exactly as
 * sockets receive it, encoded once by the publisher and shared by every receiving node and socket.
 * <pre>
 *   m:1718000000000-0\n{"event":"chat:message",...}   a stored chat message: every member; the header names its
 *                                                     stream entry id (written by chat-send.lua), so that a node
 *                                                     can order it and skip what it delivered already
 *   \n{"event":"chat:user-joined",...}                 every member
 *   x:SOCKET_ID\n{"event":"chat:typing",...}           every member except that socket
 *   d:DEVICE_ID\n{"event":"notice",...}                only the members on that device (with room user:{userId})
 * </pre>
 *
 * @param exceptSocket a socket that must not receive the frame
 * @param onlyDevice   the only device whose sockets receive the frame
 * @param messageId    the stream entry id of a stored chat message
 * @param frame        the encoded client frame
 */
public record RoomMessage(Optional<String> exceptSocket, Optional<String> onlyDevice, Optional<String> messageId,
                          String frame) {
    /** Header prefix of a stored chat message. */
    public static final String STORED_PREFIX = "m:";
    private static final String HEADER_END = "\n";

    public static RoomMessage toAll(String frame) {
        return new RoomMessage(Optional.empty(), Optional.empty(), Optional.empty(), frame);
    }

    public static RoomMessage except(String socketId, String frame) {
        return new RoomMessage(Optional.of(socketId), Optional.empty(), Optional.empty(), frame);
    }

    public static RoomMessage toDevice(String deviceId, String frame) {
        return new RoomMessage(Optional.empty(), Optional.of(deviceId), Optional.empty(), frame);
    }

    /** A chat message stored in the chat's stream under {@code messageId}, for every member. */
    public static RoomMessage stored(String messageId, String frame) {
        return new RoomMessage(Optional.empty(), Optional.empty(), Optional.of(messageId), frame);
    }

    /**
     * The channel payload of a stored chat message whose id only the storing script knows (chat-send.lua), in the
     * three parts it joins with the id after each of the first two: the header's prefix, the rest of the header and
     * the frame up to its id, the rest of the frame.
     *
     * @param frame the {@code chat:message} frame cut where its id goes
     */
    public static List<String> storedAroundId(FrameCodec.Split frame) {
        return List.of(STORED_PREFIX, HEADER_END + frame.before(), frame.after());
    }

    /** The channel payload. */
    public String encode() {
        if (exceptSocket.isPresent()) {
            return "x:" + exceptSocket.get() + HEADER_END + frame;
        }
        if (onlyDevice.isPresent()) {
            return "d:" + onlyDevice.get() + HEADER_END + frame;
        }
        if (messageId.isPresent()) {
            return STORED_PREFIX + messageId.get() + HEADER_END + frame;
        }
        return HEADER_END + frame;
    }

    /**
     * Reads a channel payload.
     *
     * @throws IllegalArgumentException when it has no header line
     */
    public static RoomMessage decode(String payload) {
        int newline = payload.indexOf('\n');
        if (newline < 0) {
            throw new IllegalArgumentException("room message without header line");
        }
        String frame = payload.substring(newline + 1);
        if (newline < 2 || payload.charAt(1) != ':') {
            return toAll(frame);
        }
        String value = payload.substring(2, newline);
        return switch (payload.charAt(0)) {
            case 'm' -> stored(value, frame);
            case 'x' -> except(value, frame);
            case 'd' -> toDevice(value, frame);
            default -> toAll(frame);
        };
    }
}
