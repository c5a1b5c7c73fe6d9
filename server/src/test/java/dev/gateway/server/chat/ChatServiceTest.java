package dev.gateway.server.chat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import dev.gateway.protocol.event.ErrorCode;
import dev.gateway.protocol.event.FrameCodec;
import dev.gateway.protocol.event.ProtocolException;
import dev.gateway.protocol.event.ServerEvent;
import dev.gateway.protocol.event.ServerEvent.ChatMessage;
import dev.gateway.protocol.store.ChatStore;
import dev.gateway.protocol.store.ConnectionRecord;
import dev.gateway.protocol.store.MessageId;
import dev.gateway.protocol.store.RedisKeys;
import dev.gateway.protocol.store.RoomMessage;
import dev.gateway.server.auth.Principal;
import dev.gateway.server.client.Client;
import dev.gateway.server.client.ClientHub;
import dev.gateway.server.client.ClientListener;
import dev.gateway.server.client.DisconnectReason;
import dev.gateway.server.client.FakeTransport;
import dev.gateway.server.client.ManualExecutor;
import dev.gateway.server.config.GatewaySettings.ChatMembership;
import dev.gateway.server.observe.GatewayMetrics;
import dev.gateway.server.room.LocalRooms;
import dev.gateway.server.room.RoomFanout;
import dev.gateway.server.room.RoomPublisher;
import dev.gateway.server.room.RoomService;
import dev.gateway.testsupport.ChannelRecorder;
import dev.gateway.testsupport.TestRedis;

import io.helidon.metrics.api.Metrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;
import redis.clients.jedis.RedisClient;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Chat against a real (embedded) Redis, on a fixed clock: join and leave (the room on this node, the record in
 * Redis, chat:user-joined / chat:user-left on the room channel), send (stored, then published by the same script;
 * idempotent per clientMsgId), typing and read receipts (published, not stored), history; and each refusal:
 * not joined, not a member, too many chats, Redis away or failing. What reaches the room channel is read back
 * through a real subscription ({@link ChannelRecorder}).
 */
class ChatServiceTest {
    @RegisterExtension
    static final TestRedis REDIS = new TestRedis();

    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
    private static final String SOCKET = "1000000000000000001";
    private static final String ROOM_C1 = RoomService.chatRoom("c1");
    private static final String CHANNEL_C1 = RedisKeys.roomChannel(ROOM_C1);
    private static final int MAX_CHATS = 2;

    private final FrameCodec codec = FrameCodec.create();
    private final AtomicBoolean redisAvailable = new AtomicBoolean(true);
    private final Client alice = client(SOCKET, "alice");
    private RedisClient deadRedis;
    private RoomService rooms;

    @AfterEach
    void closeDeadRedis() {
        if (deadRedis != null) {
            deadRedis.close();
        }
    }

    // join

    @Test
    void aJoinPutsTheSocketInTheChatRoomRecordsItInRedisAndTellsTheRoom() throws Exception {
        ChatService chat = chat(ChatMembership.OPEN);

        try (ChannelRecorder room = ChannelRecorder.start(REDIS.port(), CHANNEL_C1)) {
            ChatService.Joined joined = chat.join(alice, "c1", Optional.empty());

            assertThat(joined.missed(), is(Optional.empty()));
            assertThat(payloads(room), contains(RoomMessage.toAll(codec.encode(new ServerEvent.UserJoined("c1", "alice"))).encode()));
        }
        assertThat(alice.rooms(), hasItem(ROOM_C1));
        assertThat(rooms.local().members(ROOM_C1), contains(alice));
        assertThat(REDIS.client().smembers(RedisKeys.socketChats(SOCKET)), contains("c1"));
    }

    @Test
    void aJoinWithSinceIdReturnsTheMessagesStoredAfterIt() {
        ChatService chat = chat(ChatMembership.OPEN);
        ChatStore.Stored first = chat.sendAs("bob", "c1", "one", "text", Optional.empty());
        ChatStore.Stored second = chat.sendAs("bob", "c1", "two", "text", Optional.of("m-2"));

        ChatService.Joined joined = chat.join(alice, "c1", Optional.of(first.messageId()));

        assertThat(joined.missed(), is(Optional.of(new ChatStore.Since(
                true, List.of(new ChatMessage(second.messageId(), "c1", "bob", "two", "text", "m-2", NOW.toString())), false))));
    }

    @Test
    void joiningAChatAgainTellsTheRoomNothingAndStillRecoversWhatFollowsSinceId() throws Exception {
        ChatService chat = chat(ChatMembership.OPEN);
        chat.join(alice, "c1", Optional.empty());
        ChatStore.Stored stored = chat.sendAs("bob", "c1", "one", "text", Optional.empty());

        try (ChannelRecorder room = ChannelRecorder.start(REDIS.port(), CHANNEL_C1)) {
            ChatService.Joined joined = chat.join(alice, "c1", Optional.of(MessageId.MIN.toString()));

            assertThat(payloads(room), is(empty()));
            assertThat(joined.missed().orElseThrow().messages().getFirst().id(), is(stored.messageId()));
        }
    }

    @Test
    void aJoinBeyondTheChatsASocketMayHoldIsRefusedButAChatAlreadyJoinedMayBeJoinedAgain() {
        ChatService chat = chat(ChatMembership.OPEN);
        rooms.joinPersonalRooms(alice); // user:alice is no chat: it does not count
        chat.join(alice, "c1", Optional.empty());
        chat.join(alice, "c2", Optional.empty());

        ProtocolException refused = refusal(() -> chat.join(alice, "c3", Optional.empty()));

        assertRefused(refused, ErrorCode.VALIDATION, "chatId not joined: a socket may join at most MAX_CHATS_PER_SOCKET (2) chats;"
                + " leave one first");
        assertThat(alice.rooms(), not(hasItem(RoomService.chatRoom("c3"))));
        chat.join(alice, "c1", Optional.empty());
    }

    @Test
    void withMembershipInRedisOnlyAListedUserMayJoin() {
        ChatService chat = chat(ChatMembership.REDIS);

        ProtocolException refused = refusal(() -> chat.join(alice, "c1", Optional.empty()));

        assertRefused(refused, ErrorCode.FORBIDDEN, "not a member of chat c1");
        assertThat(alice.rooms(), not(hasItem(ROOM_C1)));
        new ChatStore(REDIS.client()).addMember("c1", "alice");
        chat.join(alice, "c1", Optional.empty());
        assertThat(alice.rooms(), hasItem(ROOM_C1));
    }

    @Test
    void aJoinWhoseMembershipCannotBeCheckedFailsInternal() {
        ChatService chat = chatOnDeadRedis(ChatMembership.REDIS, chatId -> MessageId.MIN);

        assertRefused(refusal(() -> chat.join(alice, "c1", Optional.empty())), ErrorCode.INTERNAL,
                      "membership check failed: storage is unavailable, retry");
    }

    @Test
    void aJoinWhenTheEndOfTheChatsStreamCannotBeReadFailsInternalAndLeavesTheSocketOutOfTheRoom() {
        ChatService chat = chat(ChatMembership.OPEN, chatId -> {
            throw new IllegalStateException("Redis went away");
        });

        assertRefused(refusal(() -> chat.join(alice, "c1", Optional.empty())), ErrorCode.INTERNAL,
                      "join failed: storage is unavailable, retry");
        assertThat(alice.rooms(), not(hasItem(ROOM_C1)));
        assertThat(REDIS.client().exists(RedisKeys.socketChats(SOCKET)), is(false));
    }

    @Test
    void aJoinRedisDoesNotRecordFailsInternalAndTakesTheSocketOutOfTheRoomAgain() {
        ChatService chat = chatOnDeadRedis(ChatMembership.OPEN, chatId -> MessageId.MIN);

        assertRefused(refusal(() -> chat.join(alice, "c1", Optional.empty())), ErrorCode.INTERNAL,
                      "join failed: storage is unavailable, retry");
        assertThat(alice.rooms(), not(hasItem(ROOM_C1)));
        assertThat(rooms.local().members(ROOM_C1), is(empty()));
    }

    // leave

    @Test
    void aLeaveTakesTheSocketOutOfTheRoomAndOutOfRedisAndTellsTheRoom() throws Exception {
        ChatService chat = chat(ChatMembership.OPEN);
        chat.join(alice, "c1", Optional.empty());

        try (ChannelRecorder room = ChannelRecorder.start(REDIS.port(), CHANNEL_C1)) {
            chat.leave(alice, "c1");

            assertThat(payloads(room), contains(RoomMessage.toAll(codec.encode(new ServerEvent.UserLeft("c1", "alice"))).encode()));
        }
        assertThat(alice.rooms(), not(hasItem(ROOM_C1)));
        assertThat(rooms.local().members(ROOM_C1), is(empty()));
        assertThat(REDIS.client().sismember(RedisKeys.socketChats(SOCKET), "c1"), is(false));
    }

    @Test
    void leavingAChatNotJoinedSucceedsAndTellsNobody() throws Exception {
        ChatService chat = chat(ChatMembership.OPEN);

        try (ChannelRecorder room = ChannelRecorder.start(REDIS.port(), CHANNEL_C1)) {
            chat.leave(alice, "c1");

            assertThat(payloads(room), is(empty()));
        }
    }

    @Test
    void aLeaveRedisDoesNotRecordFailsInternalAndKeepsTheSocketInTheRoom() {
        ChatService chat = chatOnDeadRedis(ChatMembership.OPEN, chatId -> MessageId.MIN);
        rooms.join(alice, ROOM_C1);

        assertRefused(refusal(() -> chat.leave(alice, "c1")), ErrorCode.INTERNAL, "leave failed: storage is unavailable, retry");
        assertThat(alice.rooms(), hasItem(ROOM_C1));
    }

    // send

    @Test
    void aSentMessageIsStoredWithTheClocksTimeAndPublishedToTheRoomWithItsId() throws Exception {
        ChatService chat = chat(ChatMembership.OPEN);
        chat.join(alice, "c1", Optional.empty());

        try (ChannelRecorder room = ChannelRecorder.start(REDIS.port(), CHANNEL_C1)) {
            ChatStore.Stored stored = chat.send(alice, "c1", "hello", "text", Optional.of("m-1"));

            assertThat(stored.createdAt(), is(NOW.toString()));
            assertThat(stored.fresh(), is(true));
            ChatMessage message = new ChatMessage(stored.messageId(), "c1", "alice", "hello", "text", "m-1", NOW.toString());
            assertThat(payloads(room), contains(RoomMessage.stored(stored.messageId(), codec.encode(message)).encode()));
            assertThat(new ChatStore(REDIS.client()).history("c1", Optional.empty(), 10), contains(message));
        }
    }

    @Test
    void aRepeatedClientMsgIdReturnsTheFirstMessageAndPublishesNothing() throws Exception {
        ChatService chat = chat(ChatMembership.OPEN);
        chat.join(alice, "c1", Optional.empty());
        ChatStore.Stored first = chat.send(alice, "c1", "hello", "text", Optional.of("m-1"));

        try (ChannelRecorder room = ChannelRecorder.start(REDIS.port(), CHANNEL_C1)) {
            ChatStore.Stored again = chat.send(alice, "c1", "hello", "text", Optional.of("m-1"));

            assertThat(again.messageId(), is(first.messageId()));
            assertThat(again.fresh(), is(false));
            assertThat(payloads(room), is(empty()));
        }
        assertThat(REDIS.client().xlen(RedisKeys.chatMessages("c1")), is(1L));
    }

    @Test
    void sendingToAChatNotJoinedIsForbidden() {
        ChatService chat = chat(ChatMembership.OPEN);

        assertRefused(refusal(() -> chat.send(alice, "c1", "hello", "text", Optional.empty())), ErrorCode.FORBIDDEN,
                      "join chat c1 first (chat:join)");
        assertThat(REDIS.client().exists(RedisKeys.chatMessages("c1")), is(false));
    }

    @Test
    void whileRedisIsAwayASendFailsAtOnceAndStoresNothing() {
        ChatService chat = chat(ChatMembership.OPEN);
        chat.join(alice, "c1", Optional.empty());
        redisAvailable.set(false);

        assertRefused(refusal(() -> chat.send(alice, "c1", "hello", "text", Optional.empty())), ErrorCode.INTERNAL,
                      "message not stored: storage is unavailable, retry");
        assertThat(REDIS.client().exists(RedisKeys.chatMessages("c1")), is(false));
    }

    @Test
    void aSendRedisFailsToStoreFailsInternal() {
        ChatService chat = chatOnDeadRedis(ChatMembership.OPEN, chatId -> MessageId.MIN);
        rooms.join(alice, ROOM_C1);

        assertRefused(refusal(() -> chat.send(alice, "c1", "hello", "text", Optional.empty())), ErrorCode.INTERNAL,
                      "message not stored: storage is unavailable, retry");
    }

    @Test
    void aSendNoReplicaConfirmsFailsNotReplicatedThoughTheMessageIsStored() {
        ChatService chat = chat(new ChatStore(REDIS.client(), Optional.of(Duration.ofMillis(10))), REDIS.client(),
                                ChatMembership.OPEN, chatId -> MessageId.MIN);
        rooms.join(alice, ROOM_C1);

        assertRefused(refusal(() -> chat.send(alice, "c1", "hello", "text", Optional.of("m-1"))), ErrorCode.INTERNAL,
                      "not replicated");
        assertThat(REDIS.client().xlen(RedisKeys.chatMessages("c1")), is(1L)); // a retry with m-1 gets this one
    }

    @Test
    void sendAsStoresAndPublishesForAUserWithoutASocket() throws Exception {
        ChatService chat = chat(ChatMembership.REDIS); // no member list, no join: the backend speaks for its users

        try (ChannelRecorder room = ChannelRecorder.start(REDIS.port(), CHANNEL_C1)) {
            ChatStore.Stored stored = chat.sendAs("bob", "c1", "from the backend", "notice", Optional.empty());

            ChatMessage message = new ChatMessage(stored.messageId(), "c1", "bob", "from the backend", "notice", null, NOW.toString());
            assertThat(payloads(room), contains(RoomMessage.stored(stored.messageId(), codec.encode(message)).encode()));
        }
    }

    // typing

    @Test
    void typingIsPublishedToTheRoomExceptTheTypingSocket() throws Exception {
        ChatService chat = chat(ChatMembership.OPEN);
        chat.join(alice, "c1", Optional.empty());

        try (ChannelRecorder room = ChannelRecorder.start(REDIS.port(), CHANNEL_C1)) {
            chat.typing(alice, "c1", true);

            assertThat(payloads(room), contains(RoomMessage.except(SOCKET, codec.encode(new ServerEvent.ChatTyping("c1", "alice", true)))
                                                        .encode()));
        }
        assertThat(REDIS.client().exists(RedisKeys.chatMessages("c1")), is(false));
    }

    @Test
    void typingInAChatNotJoinedIsForbidden() {
        ChatService chat = chat(ChatMembership.OPEN);

        assertRefused(refusal(() -> chat.typing(alice, "c1", true)), ErrorCode.FORBIDDEN, "join chat c1 first (chat:join)");
    }

    @Test
    void whileRedisIsAwayTypingFailsInternal() {
        ChatService chat = chat(ChatMembership.OPEN);
        chat.join(alice, "c1", Optional.empty());
        redisAvailable.set(false);

        assertRefused(refusal(() -> chat.typing(alice, "c1", true)), ErrorCode.INTERNAL,
                      "typing not delivered: Redis is unavailable, retry");
    }

    @Test
    void aTypingPublishThatFailsIsNotReportedToTheSender() {
        ChatService chat = chatOnDeadRedis(ChatMembership.OPEN, chatId -> MessageId.MIN);
        rooms.join(alice, ROOM_C1);

        assertDoesNotThrow(() -> chat.typing(alice, "c1", false)); // logged; the ack says success
    }

    // read receipts

    @Test
    void aReadReceiptIsPublishedToTheWholeRoom() throws Exception {
        ChatService chat = chat(ChatMembership.OPEN);
        chat.join(alice, "c1", Optional.empty());

        try (ChannelRecorder room = ChannelRecorder.start(REDIS.port(), CHANNEL_C1)) {
            chat.read(alice, "c1", "1732240000000-0");

            assertThat(payloads(room), contains(RoomMessage.toAll(codec.encode(new ServerEvent.ChatRead("c1", "alice", "1732240000000-0")))
                                                        .encode()));
        }
    }

    @Test
    void aReadReceiptInAChatNotJoinedIsForbidden() {
        ChatService chat = chat(ChatMembership.OPEN);

        assertRefused(refusal(() -> chat.read(alice, "c1", "1-0")), ErrorCode.FORBIDDEN, "join chat c1 first (chat:join)");
    }

    @Test
    void whileRedisIsAwayAReadReceiptFailsInternal() {
        ChatService chat = chat(ChatMembership.OPEN);
        chat.join(alice, "c1", Optional.empty());
        redisAvailable.set(false);

        assertRefused(refusal(() -> chat.read(alice, "c1", "1-0")), ErrorCode.INTERNAL,
                      "read receipt not delivered: Redis is unavailable, retry");
    }

    @Test
    void aReadReceiptPublishThatFailsIsNotReportedToTheSender() {
        ChatService chat = chatOnDeadRedis(ChatMembership.OPEN, chatId -> MessageId.MIN);
        rooms.join(alice, ROOM_C1);

        assertDoesNotThrow(() -> chat.read(alice, "c1", "1-0")); // logged; the ack says success
    }

    // history

    @Test
    void historyIsNewestFirstBeforeTheIdGivenForWhoeverMayJoinWithoutJoining() {
        ChatService chat = chat(ChatMembership.OPEN);
        ChatStore.Stored one = chat.sendAs("bob", "c1", "one", "text", Optional.empty());
        ChatStore.Stored two = chat.sendAs("bob", "c1", "two", "text", Optional.empty());
        ChatStore.Stored three = chat.sendAs("bob", "c1", "three", "text", Optional.empty());

        List<ChatMessage> page = chat.history(alice, "c1", Optional.of(three.messageId()), 10);

        assertThat(page.stream().map(ChatMessage::id).toList(), contains(two.messageId(), one.messageId()));
        assertThat(chat.history(alice, "c1", Optional.empty(), 1).stream().map(ChatMessage::id).toList(),
                   contains(three.messageId()));
    }

    @Test
    void withMembershipInRedisHistoryIsForbiddenToAUserNotListed() {
        ChatService chat = chat(ChatMembership.REDIS);

        assertRefused(refusal(() -> chat.history(alice, "c1", Optional.empty(), 10)), ErrorCode.FORBIDDEN, "not a member of chat c1");
    }

    @Test
    void historyRedisCannotReadFailsInternal() {
        ChatService chat = chatOnDeadRedis(ChatMembership.OPEN, chatId -> MessageId.MIN);

        assertRefused(refusal(() -> chat.history(alice, "c1", Optional.empty(), 10)), ErrorCode.INTERNAL,
                      "history failed: storage is unavailable, retry");
    }

    // fixtures

    private ChatService chat(ChatMembership membership) {
        ChatStore store = new ChatStore(REDIS.client());
        return chat(store, REDIS.client(), membership, store::lastId);
    }

    private ChatService chat(ChatMembership membership, Function<String, MessageId> newestStored) {
        return chat(new ChatStore(REDIS.client()), REDIS.client(), membership, newestStored);
    }

    /** A chat service whose Redis is not there (nothing listens on its port); the rooms read {@code newestStored}. */
    private ChatService chatOnDeadRedis(ChatMembership membership, Function<String, MessageId> newestStored) {
        deadRedis = RedisClient.create("redis://127.0.0.1:" + TestRedis.freePort());
        return chat(new ChatStore(deadRedis), deadRedis, membership, newestStored);
    }

    private ChatService chat(ChatStore store, RedisClient redis, ChatMembership membership,
                             Function<String, MessageId> newestStored) {
        GatewayMetrics metrics = new GatewayMetrics(Metrics.globalRegistry(), new ClientHub());
        LocalRooms local = new LocalRooms();
        rooms = new RoomService(local, room -> { }, new RoomFanout(local, room -> { }), newestStored);
        return new ChatService(store, rooms, membership, new RoomPublisher(redis, metrics), codec, metrics,
                               redisAvailable::get, Clock.fixed(NOW, ZoneOffset.UTC), MAX_CHATS);
    }

    private static Client client(String socketId, String userId) {
        ConnectionRecord record = new ConnectionRecord(userId, socketId, null, "laptop", "Laptop", "test-agent", "127.0.0.1",
                                                       NOW.toString(), "node-a");
        Principal principal = new Principal(userId, Optional.empty(), Optional.empty(), NOW.plusSeconds(3600));
        return new Client(record, principal, new FakeTransport(), new ManualExecutor(), new Client.Limits(8, 50),
                          new IgnoringListener(), NOW.toEpochMilli());
    }

    private static List<String> payloads(ChannelRecorder channel) {
        return channel.published().stream().map(ChannelRecorder.Message::payload).toList();
    }

    private static ProtocolException refusal(Executable call) {
        return assertThrows(ProtocolException.class, call);
    }

    private static void assertRefused(ProtocolException refused, ErrorCode code, String message) {
        assertThat(refused.code(), is(code));
        assertThat(refused.getMessage(), is(message));
    }

    /** The clients here are not sent anything by the chat service: room frames reach sockets through the channel. */
    private static final class IgnoringListener implements ClientListener {
        @Override
        public void failed(Client client, DisconnectReason reason, String why) {
        }

        @Override
        public void frameSent(Client client) {
        }
    }
}
