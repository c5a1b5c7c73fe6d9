package dev.gateway.protocol.store;

import redis.clients.jedis.UnifiedJedis;

/**
 * Room names (spelled in {@link RedisKeys}: a room's name is the tail of its channel name, values escaped), and
 * sending a frame to a room on every node. A room spans nodes: each node that holds a member listens to the room's
 * channel and delivers to its members. Every socket is in {@code user:{userId}}, so a user's sockets
 * (or one device's, with {@link RoomMessage#toDevice}) are a room too: the seeds' emitToUser / emitToDevice.
 */
public final class Rooms {
    private static final String CHAT_PREFIX = RedisKeys.chatRoom("");

    private Rooms() {
    }

    /** Every socket of a user. */
    public static String user(String userId) {
        return RedisKeys.userRoom(userId);
    }

    /** Every socket whose token names this role context. */
    public static String role(String roleContextId) {
        return RedisKeys.roleRoom(roleContextId);
    }

    /** The sockets that joined a chat. */
    public static String chat(String chatId) {
        return RedisKeys.chatRoom(chatId);
    }

    /** Whether a room is a chat's ({@link #chat}). */
    public static boolean isChat(String room) {
        return room.startsWith(CHAT_PREFIX);
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
