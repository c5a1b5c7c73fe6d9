package dev.gateway.server.room;

import dev.gateway.protocol.store.RoomMessage;
import dev.gateway.protocol.store.Rooms;
import dev.gateway.server.observe.GatewayMetrics;

import redis.clients.jedis.RedisClient;

/**
 * Sends frames to rooms on every node: publishes them on the room's channel, which every node holding a member
 * listens to. The seeds' emitToUser / emitToDevice are rooms too: every socket is in {@code user:{userId}}.
 */
public final class RoomPublisher {
    private final RedisClient redis;
    private final GatewayMetrics metrics;

    public RoomPublisher(RedisClient redis, GatewayMetrics metrics) {
        this.redis = redis;
        this.metrics = metrics;
    }

    /** Every member of the room, on every node. */
    public void toRoom(String room, String frame) {
        publish(room, RoomMessage.toAll(frame));
    }

    /** Every member of the room except one socket (typing indicators skip their sender). */
    public void toRoomExcept(String room, String exceptSocketId, String frame) {
        publish(room, RoomMessage.except(exceptSocketId, frame));
    }

    /** Every socket of a user, on every node. */
    public void toUser(String userId, String frame) {
        toRoom(RoomService.userRoom(userId), frame);
    }

    /** The sockets of one device of a user, on every node. */
    public void toDevice(String userId, String deviceId, String frame) {
        publish(RoomService.userRoom(userId), RoomMessage.toDevice(deviceId, frame));
    }

    private void publish(String room, RoomMessage message) {
        metrics.redis(() -> Rooms.publish(redis, room, message));
    }
}
