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

    /** Every member of the room, on every node; returns how many nodes received it. */
    public long toRoom(String room, String frame) {
        return publish(room, RoomMessage.toAll(frame));
    }

    /** Every member of the room except one socket (typing indicators skip their sender). */
    public void toRoomExcept(String room, String exceptSocketId, String frame) {
        publish(room, RoomMessage.except(exceptSocketId, frame));
    }

    /** Every socket of a user, on every node. */
    public long toUser(String userId, String frame) {
        return toRoom(RoomService.userRoom(userId), frame);
    }

    /** The sockets of one device of a user, on every node. */
    public long toDevice(String userId, String deviceId, String frame) {
        return publish(RoomService.userRoom(userId), RoomMessage.toDevice(deviceId, frame));
    }

    /** @return how many nodes received it (0: none holds a member of the room) */
    private long publish(String room, RoomMessage message) {
        return metrics.redis(() -> Rooms.publish(redis, room, message));
    }
}
