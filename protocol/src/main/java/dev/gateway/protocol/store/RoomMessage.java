package dev.gateway.protocol.store;

import java.util.Optional;

/**
 * What travels on a room channel ({@code gw:room:{room}}): one header line, then the client frame exactly as
 * sockets receive it, encoded once by the publisher and shared by every receiving node and socket.
 * <pre>
 *   \n{"event":"chat:message","data":{...}}          every member
 *   x:SOCKET_ID\n{"event":"chat:typing",...}        every member except that socket
 *   d:DEVICE_ID\n{"event":"notice",...}             only the members on that device (with room user:{userId})
 * </pre>
 *
 * @param exceptSocket a socket that must not receive the frame
 * @param onlyDevice   the only device whose sockets receive the frame
 * @param frame        the encoded client frame
 */
public record RoomMessage(Optional<String> exceptSocket, Optional<String> onlyDevice, String frame) {

    public static RoomMessage toAll(String frame) {
        return new RoomMessage(Optional.empty(), Optional.empty(), frame);
    }

    public static RoomMessage except(String socketId, String frame) {
        return new RoomMessage(Optional.of(socketId), Optional.empty(), frame);
    }

    public static RoomMessage toDevice(String deviceId, String frame) {
        return new RoomMessage(Optional.empty(), Optional.of(deviceId), frame);
    }

    /** The channel payload. */
    public String encode() {
        if (exceptSocket.isPresent()) {
            return "x:" + exceptSocket.get() + "\n" + frame;
        }
        if (onlyDevice.isPresent()) {
            return "d:" + onlyDevice.get() + "\n" + frame;
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
        if (newline == 0) {
            return toAll(frame);
        }
        String header = payload.substring(0, newline);
        if (header.startsWith("x:")) {
            return except(header.substring(2), frame);
        }
        if (header.startsWith("d:")) {
            return toDevice(header.substring(2), frame);
        }
        return toAll(frame);
    }
}
