package dev.gateway.server.chat;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import dev.gateway.protocol.event.ErrorCode;
import dev.gateway.protocol.event.FrameCodec;
import dev.gateway.protocol.event.ProtocolException;
import dev.gateway.protocol.event.ServerEvent;
import dev.gateway.protocol.event.ServerEvent.ChatMessage;
import dev.gateway.protocol.store.ChatStore;
import dev.gateway.protocol.store.NotReplicatedException;
import dev.gateway.protocol.store.RoomMessage;
import dev.gateway.server.batch.RoundTripBatcher;
import dev.gateway.server.client.Client;
import dev.gateway.server.config.GatewaySettings.ChatMembership;
import dev.gateway.server.observe.GatewayMetrics;
import dev.gateway.server.room.RoomPublisher;
import dev.gateway.server.room.RoomService;

/**
 * Chat: joining and leaving chat rooms, storing messages and telling the room, typing, read receipts, history and
 * recovery. A message is stored before anyone sees it; the same Redis script publishes it to the room, so every
 * member on every node receives a room's messages once, in the order they were stored. Typing and read receipts are
 * published to the room channel directly: every room event reaches sockets through that channel alone.
 */
public final class ChatService {
    /** Most messages one recovery or history page returns. */
    public static final int PAGE = 100;

    private static final System.Logger LOG = System.getLogger(ChatService.class.getName());

    private final ChatStore store;
    private final RoomService rooms;
    private final MembershipPolicy membership;
    private final RoomPublisher publisher;
    private final FrameCodec codec;
    private final GatewayMetrics metrics;
    private final BooleanSupplier redisAvailable;
    private final Clock clock;
    private final int maxChatsPerSocket;
    /** Messages of concurrent senders share pipelined round trips, as registrations of concurrent handshakes do. */
    private final RoundTripBatcher<ChatStore.NewMessage, ChatStore.Stored> sends;

    /** @param maxChatsPerSocket chats one socket may have joined at once ({@code MAX_CHATS_PER_SOCKET}) */
    public ChatService(ChatStore store, RoomService rooms, ChatMembership membership, RoomPublisher publisher, FrameCodec codec,
                       GatewayMetrics metrics, BooleanSupplier redisAvailable, Clock clock, int maxChatsPerSocket) {
        this.maxChatsPerSocket = maxChatsPerSocket;
        this.store = store;
        this.rooms = rooms;
        this.membership = new MembershipPolicy(membership, store);
        this.publisher = publisher;
        this.codec = codec;
        this.metrics = metrics;
        this.redisAvailable = redisAvailable;
        this.clock = clock;
        this.sends = new RoundTripBatcher<>(batch -> metrics.redis(() -> store.sendEach(batch)));
    }

    /** What a join returns: with {@code sinceId}, the recovered messages. */
    public record Joined(Optional<ChatStore.Since> missed) {
    }

    /**
     * Joins the socket to {@code chat:{chatId}} if the membership policy allows it and the socket has joined fewer
     * than {@code MAX_CHATS_PER_SOCKET} chats (each is a channel subscription of this node while it holds a member).
     */
    public Joined join(Client client, String chatId, Optional<String> sinceId) {
        String room = RoomService.chatRoom(chatId);
        if (!client.rooms().contains(room) && RoomService.chatsOf(client) >= maxChatsPerSocket) {
            throw ProtocolException.validation("chatId", "not joined: a socket may join at most MAX_CHATS_PER_SOCKET ("
                    + maxChatsPerSocket + ") chats; leave one first");
        }
        requireMayJoin(client, chatId);
        boolean joinedNow;
        try {
            joinedNow = rooms.join(client, room);
        } catch (RuntimeException e) {
            throw unavailable("join", e);
        }
        try {
            if (joinedNow) {
                String joined = RoomMessage.toAll(codec.encode(new ServerEvent.UserJoined(chatId, client.userId()))).encode();
                metrics.redis(() -> store.join(client.socketId(), chatId, client.userId(), joined));
            }
            return new Joined(sinceId.map(id -> metrics.redis(() -> store.since(chatId, id, PAGE))));
        } catch (RuntimeException e) {
            if (joinedNow) {
                rooms.leave(client, room);
            }
            throw unavailable("join", e);
        }
    }

    /** Takes the socket out of {@code chat:{chatId}}; leaving a chat one is not in succeeds and does nothing. */
    public void leave(Client client, String chatId) {
        String room = RoomService.chatRoom(chatId);
        if (!client.rooms().contains(room)) {
            return;
        }
        String left = RoomMessage.toAll(codec.encode(new ServerEvent.UserLeft(chatId, client.userId()))).encode();
        try {
            metrics.redis(() -> store.leave(client.socketId(), chatId, client.userId(), left));
        } catch (RuntimeException e) {
            throw unavailable("leave", e);
        }
        rooms.leave(client, room);
    }

    /**
     * Stores a message and delivers it to the room (the sender's socket included). A repeated clientMsgId returns
     * the first message and delivers nothing. When Redis cannot store it, fails at once (or within the Redis
     * timeout) and delivers nothing.
     */
    public ChatStore.Stored send(Client client, String chatId, String content, String type, Optional<String> clientMsgId) {
        requireJoined(client, chatId);
        return sendAs(client.userId(), chatId, content, type, clientMsgId);
    }

    /**
     * Stores a message from {@code senderId} and delivers it to the room exactly as an accepted {@code chat:send} of
     * that user (idempotent per clientMsgId likewise), whether or not the sender is connected: the server API's
     * {@code POST /api/v1/chats/{chatId}/messages}, for a backend that speaks for its users.
     */
    public ChatStore.Stored sendAs(String senderId, String chatId, String content, String type, Optional<String> clientMsgId) {
        if (!redisAvailable.getAsBoolean()) {
            throw new ProtocolException(ErrorCode.INTERNAL, "message not stored: storage is unavailable, retry");
        }
        String createdAt = clock.instant().toString();
        FrameCodec.Split frame = codec.encodeAroundId(new ChatMessage(null, chatId, senderId, content, type,
                                                                      clientMsgId.orElse(null), createdAt));
        try {
            return sends.call(new ChatStore.NewMessage(chatId, senderId, content, type, clientMsgId, createdAt, frame));
        } catch (NotReplicatedException e) {
            LOG.log(System.Logger.Level.WARNING, "event=message-not-replicated chat={0} user={1} message={2}",
                    chatId, senderId, e.stored().messageId());
            throw new ProtocolException(ErrorCode.INTERNAL, "not replicated");
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "event=message-not-stored chat={0} user={1} error=\"{2}\"",
                    chatId, senderId, e.getMessage());
            throw new ProtocolException(ErrorCode.INTERNAL, "message not stored: storage is unavailable, retry");
        }
    }

    /** Tells the room (except this socket) that the user is or stopped typing. */
    public void typing(Client client, String chatId, boolean isTyping) {
        requireJoined(client, chatId);
        requireRedis("typing");
        String frame = codec.encode(new ServerEvent.ChatTyping(chatId, client.userId(), isTyping));
        deliver("typing", () -> publisher.toRoomExcept(RoomService.chatRoom(chatId), client.socketId(), frame));
    }

    /** Tells the room that the user read up to a message. */
    public void read(Client client, String chatId, String messageId) {
        requireJoined(client, chatId);
        requireRedis("read receipt");
        String frame = codec.encode(new ServerEvent.ChatRead(chatId, client.userId(), messageId));
        deliver("read receipt", () -> publisher.toRoom(RoomService.chatRoom(chatId), frame));
    }

    /** Stored messages, newest first, before {@code beforeId} (exclusive); for whoever may join. */
    public List<ChatMessage> history(Client client, String chatId, Optional<String> beforeId, int limit) {
        requireMayJoin(client, chatId);
        try {
            return metrics.redis(() -> store.history(chatId, beforeId, limit));
        } catch (RuntimeException e) {
            throw unavailable("history", e);
        }
    }

    private void requireMayJoin(Client client, String chatId) {
        boolean allowed;
        try {
            allowed = membership.mayJoin(client.userId(), chatId);
        } catch (RuntimeException e) {
            throw unavailable("membership check", e);
        }
        if (!allowed) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, "not a member of chat " + chatId);
        }
    }

    private static void requireJoined(Client client, String chatId) {
        if (!client.rooms().contains(RoomService.chatRoom(chatId))) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, "join chat " + chatId + " first (chat:join)");
        }
    }

    /** Room events travel through Redis: refuse at once while it is away rather than report a delivery that failed. */
    private void requireRedis(String what) {
        if (!redisAvailable.getAsBoolean()) {
            throw new ProtocolException(ErrorCode.INTERNAL, what + " not delivered: Redis is unavailable, retry");
        }
    }

    /**
     * Publishes an ephemeral room event. A PUBLISH that fails (Redis went away after {@link #requireRedis}) is logged
     * and the sender's ack still says success, as it did when these events went through an in-process bus.
     */
    private static void deliver(String what, Runnable publish) {
        try {
            publish.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "event=chat-failed action={0} error=\"{1}\"", what, e.getMessage());
        }
    }

    private static ProtocolException unavailable(String what, RuntimeException cause) {
        if (cause instanceof ProtocolException protocol) {
            return protocol;
        }
        LOG.log(System.Logger.Level.WARNING, "event=chat-failed action={0} error=\"{1}\"", what, cause.getMessage());
        return new ProtocolException(ErrorCode.INTERNAL, what + " failed: storage is unavailable, retry");
    }
}
