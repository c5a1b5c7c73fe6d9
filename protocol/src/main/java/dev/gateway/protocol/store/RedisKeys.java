package dev.gateway.protocol.store;

/**
 * Every Redis key and pub/sub channel name of PROTOCOL section 6, spelled here and nowhere else.
 * The gateway and gatewayctl both read and write through these names.
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

    private static final String CONNECTION_PREFIX = "ws:connection:";
    private static final String NODE_PREFIX = "ws:node:";

    private RedisKeys() {
    }

    /** String: JSON {@link ConnectionRecord}. */
    public static String connection(String socketId) {
        return CONNECTION_PREFIX + socketId;
    }

    /** The SCAN pattern that matches every {@link #connection(String)} key. */
    public static String connectionPattern() {
        return CONNECTION_PREFIX + "*";
    }

    /** The socket id of a {@link #connection(String)} key. */
    public static String socketIdOfConnectionKey(String key) {
        return key.substring(CONNECTION_PREFIX.length());
    }

    /** Set: socket ids of a user. */
    public static String userConnections(String userId) {
        return "ws:user:" + userId + ":connections";
    }

    /** Set: socket ids of one device of a user. */
    public static String deviceConnections(String userId, String deviceId) {
        return "ws:user:" + userId + ":device:" + deviceId + ":connections";
    }

    /** Hash: socketId to JSON {@link PresenceEntry}. */
    public static String presence(String userId) {
        return "presence:user:" + userId;
    }

    /** String: JSON {@link NodeRecord}, short TTL, rewritten by the node's heartbeat. */
    public static String node(String nodeId) {
        return NODE_PREFIX + nodeId;
    }

    /** Set: socket ids held by a node. */
    public static String nodeConnections(String nodeId) {
        return NODE_PREFIX + nodeId + ":connections";
    }

    /** Set: user ids whose presence this user sees; written by the application. */
    public static String contacts(String userId) {
        return "presence:contacts:" + userId;
    }

    /** Stream: the messages of a chat. */
    public static String chatMessages(String chatId) {
        return "chat:" + chatId + ":messages";
    }

    /** String: the messageId first given to a client message id. */
    public static String chatClientMessage(String chatId, String userId, String clientMsgId) {
        return "chat:" + chatId + ":client-msg:" + userId + ":" + clientMsgId;
    }

    /**
     * Hash: userId to the number of that user's sockets (on any node) that joined the chat. An addition to the
     * original layout: it tells which join is a user's first and which leave their last ({@code chat:user-joined} /
     * {@code chat:user-left}), across nodes.
     */
    public static String chatUsers(String chatId) {
        return "chat:" + chatId + ":users";
    }

    /**
     * Set: the chat ids one socket has joined. An addition to the original layout: whoever removes the socket (its
     * node, or another node or gatewayctl after its node died) leaves those chats for it.
     */
    public static String socketChats(String socketId) {
        return "ws:connection-chats:" + socketId;
    }

    /** Set: user ids allowed in a chat; written by the application. */
    public static String chatMembers(String chatId) {
        return "chat:" + chatId + ":members";
    }

    /** Channel: events for one room, to every node that holds a member. */
    public static String roomChannel(String room) {
        return "gw:room:" + room;
    }

    /** Channel: commands for one node ({@link NodeCommand}). */
    public static String nodeChannel(String nodeId) {
        return "gw:node:" + nodeId;
    }
}
