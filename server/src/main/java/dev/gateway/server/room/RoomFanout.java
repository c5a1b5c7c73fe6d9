package dev.gateway.server.room;

import java.util.function.BiConsumer;

import dev.gateway.protocol.store.RoomMessage;
import dev.gateway.server.client.Client;
import dev.gateway.server.client.OutboundFrame;

/**
 * Delivers what arrives on a room channel to this node's members of the room. Runs on the pub/sub thread, one
 * message at a time, so every socket gets a room's messages in channel order; each delivery only queues the shared
 * frame on the socket's outbox and never waits for a socket.
 */
public final class RoomFanout implements BiConsumer<String, String> {
    private final LocalRooms rooms;

    public RoomFanout(LocalRooms rooms) {
        this.rooms = rooms;
    }

    @Override
    public void accept(String room, String payload) {
        RoomMessage message = RoomMessage.decode(payload);
        String except = message.exceptSocket().orElse(null);
        String device = message.onlyDevice().orElse(null);
        OutboundFrame frame = new OutboundFrame(message.frame());
        for (Client client : rooms.members(room)) {
            if ((except == null || !except.equals(client.socketId())) && (device == null || device.equals(client.deviceId()))) {
                client.send(frame);
            }
        }
    }
}
