package dev.gateway.protocol.store;

/**
 * Every Redis key and pub/sub channel name of PROTOCOL section 6, spelled here and nowhere else.
 * The gateway and gatewayctl both read and write through these names.
 * <p>
 * Ids may contain {@code :} (user ids such as {@code google-oauth2:123}, chat ids such as {@code dm:alice:bob}), the
 * separator of the names. So every value is {@linkplain #escape escaped} where it enters a name: {@code %} becomes
 * {@code %25} and {@code :} becomes {@code %3A}. No two values then share a name, whatever they contain (user
 * {@code u1:x} and user {@code u1} with clientMsgId {@code x:m1} get different keys), and ids without either character
 * keep the names of the original layout. Record contents (JSON, set members, hash fields) hold the values as they are.
 */
public final class RedisKeys {
    /** Sorted set: userId scored by last-seen epoch ms. Swept, no TTL. */
    public static final String PRESENCE_ONLINE = "presence:online";
    /**
     * Set of node ids that have registered sockets. An addition to the original layout: it lets nodes and
     * gatewayctl find every node (alive or dead) without SCAN over the whole keyspace.
     */
    public static final String NODES = "ws:nodes";
    /** Channel that carries {@link PresenceChange} messages to every node. */
    public static final String PRESENCE_CHANNEL = "gw:presence";
    /**
     * Stream: the event stream for backend workers (PROTOCOL section 10), fields {@code type} and {@code data}
     * ({@link EventStream}).
     */
    public static final String EVENTS = "gw:events";

    private static final String CONNECTION_PREFIX = "ws:connection:";
    private static final String NODE_PREFIX = "ws:node:";

    private RedisKeys() {
    }

    /**
     * A value as it appears inside a key or channel name: {@code %} written {@code %25}, {@code :} written
     * {@code %3A}, everything else as it is (a value without either is returned unchanged, without copying).
     */
    public static String escape(String value) {
        if (value.indexOf(':') < 0 && value.indexOf('%') < 0) {
            return value;
        }
        StringBuilder escaped = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '%' -> escaped.append("%25");
                case ':' -> escaped.append("%3A");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /** The value that {@link #escape} wrote: {@code %3A} read as {@code :}, {@code %25} as {@code %}. */
    public static String unescape(String escaped) {
        if (escaped.indexOf('%') < 0) {
            return escaped;
        }
        StringBuilder value = new StringBuilder(escaped.length());
        for (int i = 0; i < escaped.length(); i++) {
            if (escaped.startsWith("%3A", i)) {
                value.append(':');
                i += 2;
            } else if (escaped.startsWith("%25", i)) {
                value.append('%');
                i += 2;
            } else {
                value.append(escaped.charAt(i));
            }
        }
        return value.toString();
    }

    /** String: JSON {@link ConnectionRecord}. */
    public static String connection(String socketId) {
        return CONNECTION_PREFIX + escape(socketId);
    }

    /** The SCAN pattern that matches every {@link #connection(String)} key. */
    public static String connectionPattern() {
        return CONNECTION_PREFIX + "*";
    }

    /** Set: socket ids of a user. */
    public static String userConnections(String userId) {
        return "ws:user:" + escape(userId) + ":connections";
    }

    /** Set: socket ids of one device of a user. */
    public static String deviceConnections(String userId, String deviceId) {
        return "ws:user:" + escape(userId) + ":device:" + escape(deviceId) + ":connections";
    }

    /** Hash: socketId to JSON {@link PresenceEntry}. */
    public static String presence(String userId) {
        return "presence:user:" + escape(userId);
    }

    /** String: JSON {@link NodeRecord}, short TTL, rewritten by the node's heartbeat. */
    public static String node(String nodeId) {
        return NODE_PREFIX + escape(nodeId);
    }

    /** Set: socket ids held by a node. */
    public static String nodeConnections(String nodeId) {
        return NODE_PREFIX + escape(nodeId) + ":connections";
    }

    /** Set: user ids whose presence this user sees; written by the application. */
    public static String contacts(String userId) {
        return "presence:contacts:" + escape(userId);
    }

    /** Stream: the messages of a chat. */
    public static String chatMessages(String chatId) {
        return "chat:" + escape(chatId) + ":messages";
    }

    /** String: the messageId first given to a client message id. */
    public static String chatClientMessage(String chatId, String userId, String clientMsgId) {
        return "chat:" + escape(chatId) + ":client-msg:" + escape(userId) + ":" + escape(clientMsgId);
    }

    /**
     * Hash: userId to the number of that user's sockets (on any node) that joined the chat. An addition to the
     * original layout: it tells which join is a user's first and which leave their last ({@code chat:user-joined} /
     * {@code chat:user-left}), across nodes.
     */
    public static String chatUsers(String chatId) {
        return "chat:" + escape(chatId) + ":users";
    }

    /**
     * Set: the chat ids one socket has joined. An addition to the original layout: whoever removes the socket (its
     * node, or another node or gatewayctl after its node died) leaves those chats for it.
     */
    public static String socketChats(String socketId) {
        return "ws:connection-chats:" + escape(socketId);
    }

    /** Set: user ids allowed in a chat; written by the application. */
    public static String chatMembers(String chatId) {
        return "chat:" + escape(chatId) + ":members";
    }

    /** Room name: every socket of a user. */
    public static String userRoom(String userId) {
        return "user:" + escape(userId);
    }

    /** Room name: every socket whose token names this role context. */
    public static String roleRoom(String roleContextId) {
        return "role:" + escape(roleContextId);
    }

    /** Room name: the sockets that joined a chat. */
    public static String chatRoom(String chatId) {
        return "chat:" + escape(chatId);
    }

    /** Channel: events for one room, to every node that holds a member. */
    public static String roomChannel(String room) {
        return "gw:room:" + room;
    }

    /** Channel pattern: every user's room ({@link #userRoom}), which each node listens to as one pattern. */
    public static String userRoomChannels() {
        return roomChannel(userRoom("")) + "*";
    }

    /** Channel: commands for one node ({@link NodeCommand}). */
    public static String nodeChannel(String nodeId) {
        return "gw:node:" + escape(nodeId);
    }
}
