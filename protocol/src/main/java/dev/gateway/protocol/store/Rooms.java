package dev.gateway.protocol.store;

import redis.clients.jedis.UnifiedJedis;

/**
 * Room names, and sending a frame to a room on every node. A room spans nodes: each node that holds a member listens
 * to the room's channel and delivers to its members. Every socket is in {@code user:{userId}}, so a user's sockets
 * (or one device's, with {@link RoomMessage#toDevice}) are a room too: the seeds' emitToUser / emitToDevice.
 */
public final class Rooms {
    private Rooms() {
    }

    /** Every socket of a user. */
    public static String user(String userId) {
        return "user:" + userId;
    }

    /** Every socket whose token names this role context. */
    public static String role(String roleContextId) {
        return "role:" + roleContextId;
    }

    /** The sockets that joined a chat. */
    public static String chat(String chatId) {
        return "chat:" + chatId;
    }

    /**
     * Publishes a frame to a room.
     *
     * @return how many nodes received it (0: no node holds a member of the room)
     */
    public static long publish(UnifiedJedis redis, String room, RoomMessage message) {
        return redis.publish(RedisKeys.roomChannel(room), message.encode());
    }
}
