package dev.gateway.protocol.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.gateway.protocol.event.ServerEvent.ChatMessage;

import redis.clients.jedis.RedisClient;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Chats in Redis: each chat's messages in a stream ({@code chat:{chatId}:messages}, entry id = messageId), the
 * idempotency keys of client message ids, who has joined (per user, across nodes), and the member lists the
 * application writes.
 */
public final class ChatStore {
    /** Approximate length the streams are trimmed to. */
    public static final int STREAM_MAXLEN = 10_000;
    /** How long a clientMsgId keeps its first messageId. */
    public static final Duration CLIENT_MSG_ID_TTL = Duration.ofHours(24);

    private static final LuaScript SEND = LuaScript.load("chat-send.lua");
    private static final LuaScript JOIN = LuaScript.load("chat-join.lua");
    private static final LuaScript LEAVE = LuaScript.load("chat-leave.lua");
    private static final LuaScript SINCE = LuaScript.load("chat-since.lua");

    private final RedisClient redis;

    public ChatStore(RedisClient redis) {
        this.redis = redis;
    }

    /**
     * What storing a message gave.
     *
     * @param fresh false when the clientMsgId was seen before: the first messageId is returned, nothing published
     */
    public record Stored(String messageId, String createdAt, boolean fresh) {
    }

    /**
     * Recovery after a gap.
     *
     * @param recovered false when messages after {@code sinceId} were trimmed away; {@code messages} then starts at
     *                  the oldest stored one
     * @param hasMore   whether more messages follow the page
     */
    public record Since(boolean recovered, List<ChatMessage> messages, boolean hasMore) {
    }

    /**
     * Stores a message and publishes it to the chat's room channel in one step.
     *
     * @param roomMessagePrefix the room channel payload before the message id
     * @param roomMessageSuffix the room channel payload after the message id
     */
    public Stored send(String chatId, String senderId, String content, String type, Optional<String> clientMsgId,
                       String createdAt, String roomMessagePrefix, String roomMessageSuffix) {
        List<String> keys = List.of(RedisKeys.chatMessages(chatId),
                                    clientMsgId.map(id -> RedisKeys.chatClientMessage(chatId, senderId, id)).orElse(""));
        List<String> args = List.of(Integer.toString(STREAM_MAXLEN), senderId, content, type, clientMsgId.orElse(""), createdAt,
                                    Long.toString(CLIENT_MSG_ID_TTL.toSeconds()),
                                    RedisKeys.roomChannel(Rooms.chat(chatId)), roomMessagePrefix, roomMessageSuffix);
        List<?> result = (List<?>) SEND.eval(redis, keys, args);
        return new Stored((String) result.get(0), (String) result.get(1), Long.valueOf(1).equals(result.get(2)));
    }

    /**
     * Records that a socket joined a chat; publishes {@code joinedMessage} to the room when it is the user's first
     * socket there.
     */
    public boolean join(String socketId, String chatId, String userId, String joinedMessage) {
        Object result = JOIN.eval(redis, List.of(RedisKeys.socketChats(socketId), RedisKeys.chatUsers(chatId)),
                                  List.of(chatId, userId, Long.toString(ConnectionStore.CONNECTION_TTL.toSeconds()),
                                          RedisKeys.roomChannel(Rooms.chat(chatId)), joinedMessage));
        return Long.valueOf(1).equals(result);
    }

    /** Records that a socket left a chat; publishes {@code leftMessage} when it was the user's last socket there. */
    public boolean leave(String socketId, String chatId, String userId, String leftMessage) {
        Object result = LEAVE.eval(redis, List.of(RedisKeys.socketChats(socketId), RedisKeys.chatUsers(chatId)),
                                   List.of(chatId, userId, RedisKeys.roomChannel(Rooms.chat(chatId)), leftMessage));
        return Long.valueOf(1).equals(result);
    }

    /** Whether the application lists {@code userId} in the chat's member set. */
    public boolean isMember(String chatId, String userId) {
        return redis.sismember(RedisKeys.chatMembers(chatId), userId);
    }

    /**
     * Up to {@code limit} messages, newest first, older than {@code beforeId} (exclusive) when given.
     *
     * @throws IllegalArgumentException when {@code beforeId} is not a {@link MessageId}
     */
    public List<ChatMessage> history(String chatId, Optional<String> beforeId, int limit) {
        Optional<MessageId> before = beforeId.map(ChatStore::messageId);
        if (before.isPresent() && before.get().equals(MessageId.MIN)) {
            return List.of(); // nothing precedes the smallest id (and Redis refuses the exclusive range "(0-0")
        }
        List<StreamEntry> entries = redis.xrevrange(RedisKeys.chatMessages(chatId), before.map(id -> "(" + id).orElse("+"), "-",
                                                    limit);
        List<ChatMessage> messages = new ArrayList<>(entries.size());
        for (StreamEntry entry : entries) {
            messages.add(message(chatId, entry.getID().toString(), entry.getFields()));
        }
        return messages;
    }

    /**
     * Messages after {@code sinceId} (exclusive), oldest first, at most {@code pageSize}.
     *
     * @throws IllegalArgumentException when {@code sinceId} is not a {@link MessageId}
     */
    public Since since(String chatId, String sinceId, int pageSize) {
        MessageId since = messageId(sinceId);
        if (since.equals(MessageId.MAX)) {
            return new Since(true, List.of(), false); // nothing follows the largest id (and Redis refuses "(" + it)
        }
        List<?> result = (List<?>) SINCE.eval(redis, List.of(RedisKeys.chatMessages(chatId)),
                                              List.of(since.toString(), Integer.toString(pageSize + 1)));
        boolean recovered = Long.valueOf(1).equals(result.get(0));
        List<?> entries = (List<?>) result.get(1);
        List<ChatMessage> messages = new ArrayList<>();
        for (int i = 0; i < Math.min(entries.size(), pageSize); i++) {
            List<?> entry = (List<?>) entries.get(i);
            List<?> flat = (List<?>) entry.get(1);
            Map<String, String> fields = new HashMap<>();
            for (int f = 0; f + 1 < flat.size(); f += 2) {
                fields.put((String) flat.get(f), (String) flat.get(f + 1));
            }
            messages.add(message(chatId, (String) entry.get(0), fields));
        }
        return new Since(recovered, messages, entries.size() > pageSize);
    }

    private static MessageId messageId(String text) {
        return MessageId.parse(text).orElseThrow(() -> new IllegalArgumentException("not a message id: " + text));
    }

    private static ChatMessage message(String chatId, String id, Map<String, String> fields) {
        String clientMsgId = fields.getOrDefault("clientMsgId", "");
        return new ChatMessage(id, chatId, fields.get("senderId"), fields.get("content"), fields.getOrDefault("type", "text"),
                               clientMsgId.isEmpty() ? null : clientMsgId, fields.get("createdAt"));
    }
}
