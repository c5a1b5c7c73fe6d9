package dev.gateway.protocol.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import dev.gateway.protocol.event.FrameCodec;
import dev.gateway.protocol.event.ServerEvent.ChatMessage;

import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
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
    private final Optional<Duration> replicationWait;
    private final EventStream events;

    public ChatStore(RedisClient redis) {
        this(redis, Optional.empty());
    }

    /** A store whose scripts append to the event stream as the contract's defaults say ({@link EventStream#DEFAULT}). */
    public ChatStore(RedisClient redis, Optional<Duration> replicationWait) {
        this(redis, replicationWait, EventStream.DEFAULT);
    }

    /**
     * @param replicationWait with a value, {@link #sendEach} (and {@link #send}) also waits (Redis {@code WAIT}) this
     *                        long at most for one replica to confirm the messages, and fails each with
     *                        {@link NotReplicatedException} otherwise
     * @param events          whether and how the scripts append to the event stream
     */
    public ChatStore(RedisClient redis, Optional<Duration> replicationWait, EventStream events) {
        this.redis = redis;
        this.replicationWait = replicationWait;
        this.events = events;
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
     * A message to store.
     *
     * @param frame the {@code chat:message} frame cut where its id goes ({@link FrameCodec#encodeAroundId})
     */
    public record NewMessage(String chatId, String senderId, String content, String type, Optional<String> clientMsgId,
                             String createdAt, FrameCodec.Split frame) {
    }

    /** Stores a message and publishes it to the chat's room channel in one step ({@link #sendEach}, alone). */
    public Stored send(String chatId, String senderId, String content, String type, Optional<String> clientMsgId,
                       String createdAt, FrameCodec.Split frame) {
        return sendEach(List.of(new NewMessage(chatId, senderId, content, type, clientMsgId, createdAt, frame))).getFirst().get();
    }

    /**
     * Stores several messages in one pipelined round trip, each in one step with its publish to the chat's room
     * channel (its own script call), in the order given. With a replication wait, one {@code WAIT} after them all
     * counts the replicas that have every one of them (WAIT covers the connection's writes before it).
     *
     * @return per message, in order: what storing it gave, or (when called) the failure of that message's call, or
     *         {@link NotReplicatedException} when no replica confirmed the batch in time
     */
    public List<Supplier<Stored>> sendEach(List<NewMessage> messages) {
        List<Response<Object>> results = new ArrayList<>(messages.size());
        Response<Long> replicas = null;
        try (Pipeline pipeline = redis.pipelined()) {
            SEND.prepare(pipeline);
            for (NewMessage message : messages) {
                results.add(SEND.eval(pipeline, sendKeys(message), sendArgs(message)));
            }
            if (replicationWait.isPresent()) {
                replicas = pipeline.waitReplicas(1, replicationWait.get().toMillis());
            }
            pipeline.sync();
        }
        boolean replicated = replicas == null || replicas.get() >= 1;
        List<Supplier<Stored>> outcomes = new ArrayList<>(results.size());
        for (Response<Object> result : results) {
            outcomes.add(() -> {
                Stored stored = stored((List<?>) result.get());
                if (!replicated) {
                    throw new NotReplicatedException(stored);
                }
                return stored;
            });
        }
        return outcomes;
    }

    private static List<String> sendKeys(NewMessage message) {
        return List.of(RedisKeys.chatMessages(message.chatId()),
                       message.clientMsgId().map(id -> RedisKeys.chatClientMessage(message.chatId(), message.senderId(), id)).orElse(""),
                       RedisKeys.EVENTS);
    }

    private List<String> sendArgs(NewMessage message) {
        String[] event = events.chatMessage(message.chatId(), message.senderId(), message.content(), message.type(),
                                            message.clientMsgId(), message.createdAt());
        List<String> roomMessage = RoomMessage.storedAroundId(message.frame());
        return List.of(Integer.toString(STREAM_MAXLEN), message.senderId(), message.content(), message.type(),
                       message.clientMsgId().orElse(""), message.createdAt(), Long.toString(CLIENT_MSG_ID_TTL.toSeconds()),
                       RedisKeys.roomChannel(Rooms.chat(message.chatId())),
                       roomMessage.get(0), roomMessage.get(1), roomMessage.get(2),
                       events.maxLenArgument(), event[0], event[1]);
    }

    private static Stored stored(List<?> result) {
        return new Stored((String) result.get(0), (String) result.get(1), Long.valueOf(1).equals(result.get(2)));
    }

    /**
     * Records that a socket joined a chat; publishes {@code joinedMessage} to the room when it is the user's first
     * socket there.
     */
    public boolean join(String socketId, String chatId, String userId, String joinedMessage) {
        Object result = JOIN.eval(redis, List.of(RedisKeys.socketChats(socketId), RedisKeys.chatUsers(chatId), RedisKeys.EVENTS),
                                  List.of(chatId, userId, Long.toString(ConnectionStore.CONNECTION_TTL.toSeconds()),
                                          RedisKeys.roomChannel(Rooms.chat(chatId)), joinedMessage,
                                          events.maxLenArgument(), events.chatUser(chatId, userId)));
        return Long.valueOf(1).equals(result);
    }

    /**
     * One socket in one chat, for {@link #rejoinAll}.
     *
     * @param socketId the socket
     * @param chatId   the chat it is in
     * @param userId   its user
     */
    public record Membership(String socketId, String chatId, String userId) {
    }

    /**
     * Records again, in one round trip and without publishing, that sockets are in chats: a node's recovery after
     * Redis lost (or a promoted replica missed) what they had joined. Joins that Redis still holds change nothing.
     */
    public void rejoinAll(List<Membership> memberships) {
        if (memberships.isEmpty()) {
            return;
        }
        try (Pipeline pipeline = redis.pipelined()) {
            JOIN.prepare(pipeline);
            for (Membership m : memberships) {
                JOIN.eval(pipeline, List.of(RedisKeys.socketChats(m.socketId()), RedisKeys.chatUsers(m.chatId()), RedisKeys.EVENTS),
                          List.of(m.chatId(), m.userId(), Long.toString(ConnectionStore.CONNECTION_TTL.toSeconds()), "", "",
                                  "0", ""));
            }
            pipeline.sync();
        }
    }

    /** Records that a socket left a chat; publishes {@code leftMessage} when it was the user's last socket there. */
    public boolean leave(String socketId, String chatId, String userId, String leftMessage) {
        Object result = LEAVE.eval(redis, List.of(RedisKeys.socketChats(socketId), RedisKeys.chatUsers(chatId), RedisKeys.EVENTS),
                                   List.of(chatId, userId, RedisKeys.roomChannel(Rooms.chat(chatId)), leftMessage,
                                           events.maxLenArgument(), events.chatUser(chatId, userId)));
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
        return since(chatId, result, pageSize);
    }

    /**
     * {@link #since} for many chats in one round trip (a node catching its rooms up after its subscription was
     * lost).
     *
     * @param sinceIds chatId to the id after which to read (below {@link MessageId#MAX})
     * @return chatId to what was read, for every chat asked
     */
    public Map<String, Since> sinceEach(Map<String, MessageId> sinceIds, int pageSize) {
        Map<String, Response<Object>> responses = new LinkedHashMap<>();
        try (Pipeline pipeline = redis.pipelined()) {
            SINCE.prepare(pipeline);
            sinceIds.forEach((chatId, sinceId) -> responses.put(
                    chatId, SINCE.eval(pipeline, List.of(RedisKeys.chatMessages(chatId)),
                                       List.of(sinceId.toString(), Integer.toString(pageSize + 1)))));
            pipeline.sync();
        }
        Map<String, Since> read = new LinkedHashMap<>();
        responses.forEach((chatId, response) -> read.put(chatId, since(chatId, (List<?>) response.get(), pageSize)));
        return read;
    }

    /**
     * The id of the newest message ever stored in the chat (deleted or trimmed ones included), {@link MessageId#MIN}
     * when the chat has no stream: every message stored later has a larger id.
     */
    public MessageId lastId(String chatId) {
        try {
            return messageId(redis.xinfoStream(RedisKeys.chatMessages(chatId)).getLastGeneratedId().toString());
        } catch (JedisDataException e) {
            if (e.getMessage() != null && e.getMessage().contains("no such key")) {
                return MessageId.MIN;
            }
            throw e;
        }
    }

    /** Adds a user to the chat's member set ({@code chat:{chatId}:members}); the server API's PUT. */
    public void addMember(String chatId, String userId) {
        redis.sadd(RedisKeys.chatMembers(chatId), userId);
    }

    /** Removes a user from the chat's member set; the server API's DELETE. */
    public void removeMember(String chatId, String userId) {
        redis.srem(RedisKeys.chatMembers(chatId), userId);
    }

    /** Those of these sockets that have joined the chat, in the given order, in one round trip. */
    public List<String> joinedAmong(List<String> socketIds, String chatId) {
        List<Response<Boolean>> joined = new ArrayList<>(socketIds.size());
        try (Pipeline pipeline = redis.pipelined()) {
            for (String socketId : socketIds) {
                joined.add(pipeline.sismember(RedisKeys.socketChats(socketId), chatId));
            }
            pipeline.sync();
        }
        List<String> found = new ArrayList<>();
        for (int i = 0; i < socketIds.size(); i++) {
            if (Boolean.TRUE.equals(joined.get(i).get())) {
                found.add(socketIds.get(i));
            }
        }
        return found;
    }

    private static Since since(String chatId, List<?> result, int pageSize) {
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
