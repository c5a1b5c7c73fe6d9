package dev.gateway.protocol.store;

import java.util.List;

import redis.clients.jedis.UnifiedJedis;

/**
 * Room names (spelled in {@link RedisKeys}: a room's name is the tail of its channel name, values escaped), and
 * sending a frame to a room on every node. A room spans nodes: each node that holds a member listens to the room's
 * channel and delivers to its members (users' rooms: every node listens to them all through one pattern and
 * delivers to the members it holds). Every socket is in {@code user:{userId}}, so a user's sockets
 * (or one device's, with {@link RoomMessage#toDevice}) are a room too: the seeds' emitToUser / emitToDevice.
 */
public final class Rooms {
    private static final String CHAT_PREFIX = RedisKeys.chatRoom("");
    private static final String USER_PREFIX = RedisKeys.userRoom("");
    private static final LuaScript USER_PUBLISH = LuaScript.load("user-publish.lua");

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

    /** Whether a room is a user's ({@link #user}). */
    public static boolean isUser(String room) {
        return room.startsWith(USER_PREFIX);
    }

    /**
     * Publishes a frame to a room.
     *
     * @return how many nodes hold a member of the room (0: none). For a user's room, which every node listens to
     *         through one pattern, the live nodes (heartbeat record present, as {@link NodeStore#isAlive}) named by
     *         the connection records of the user's sockets (or of the device's, with {@link RoomMessage#toDevice}):
     *         a killed node whose records are not yet reaped received nothing. For other rooms, the nodes listening
     *         to its channel.
     */
    public static long publish(UnifiedJedis redis, String room, RoomMessage message) {
        String channel = RedisKeys.roomChannel(room);
        if (!isUser(room)) {
            return redis.publish(channel, message.encode());
        }
        String userId = RedisKeys.unescape(room.substring(USER_PREFIX.length()));
        String sockets = message.onlyDevice()
                .map(deviceId -> RedisKeys.deviceConnections(userId, deviceId))
                .orElseGet(() -> RedisKeys.userConnections(userId));
        List<?> nodes = (List<?>) USER_PUBLISH.eval(redis, List.of(sockets), List.of(channel, message.encode(), RedisKeys.connection("")));
        if (nodes.isEmpty()) {
            return 0;
        }
        return redis.exists(nodes.stream().map(node -> RedisKeys.node((String) node)).toArray(String[]::new));
    }
}
