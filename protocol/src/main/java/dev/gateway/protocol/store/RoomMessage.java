package dev.gateway.protocol.store;

import java.util.Optional;

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
    /** Header prefix of a stored chat message; chat-send.lua writes it too. */
    public static final String STORED_PREFIX = "m:";

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

    /** The channel payload. */
    public String encode() {
        if (exceptSocket.isPresent()) {
            return "x:" + exceptSocket.get() + "\n" + frame;
        }
        if (onlyDevice.isPresent()) {
            return "d:" + onlyDevice.get() + "\n" + frame;
        }
        if (messageId.isPresent()) {
            return STORED_PREFIX + messageId.get() + "\n" + frame;
        }
        return "\n" + frame;
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
