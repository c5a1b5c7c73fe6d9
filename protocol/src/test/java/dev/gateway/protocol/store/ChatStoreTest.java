package dev.gateway.protocol.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.gateway.protocol.event.FrameCodec;
import dev.gateway.protocol.event.Json;
import dev.gateway.protocol.event.OfflineReason;
import dev.gateway.protocol.event.ServerEvent.ChatMessage;
import dev.gateway.protocol.event.ServerEvent;
import dev.gateway.testsupport.ChannelRecorder;
import dev.gateway.testsupport.ChannelRecorder.Message;
import dev.gateway.testsupport.TestRedis;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.resps.StreamEntry;

import static dev.gateway.protocol.store.Sockets.registration;
import static dev.gateway.protocol.store.Sockets.socket;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ChatStoreTest {
    @RegisterExtension
    static final TestRedis REDIS = new TestRedis();

    private static final Duration PRESENCE_TTL = Duration.ofSeconds(60);
    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
    private static final String ROOM_C1 = "gw:room:chat:c1";
    private static final String ROOM_C2 = "gw:room:chat:c2";

    private final FrameCodec codec = FrameCodec.create();
    private final ObjectMapper mapper = Json.mapper();
    private RedisClient redis;
    private ChatStore chats;
    private ConnectionStore connections;

    @BeforeEach
    void setUp() {
        redis = REDIS.client();
        chats = new ChatStore(redis);
        connections = new ConnectionStore(redis, mapper);
    }

    @Test
    void sendStoresAStreamEntryWhoseIdIsTheMessageId() {
        ChatStore.Stored stored = send("c1", "alice", "hello", Optional.of("m-1"), "2025-03-01T10:00:00Z");

        List<StreamEntry> entries = redis.xrange("chat:c1:messages", "-", "+");
        assertThat(entries, hasSize(1));
        assertThat(entries.getFirst().getID().toString(), is(stored.messageId()));
        assertThat(entries.getFirst().getFields(), is(Map.of("senderId", "alice", "content", "hello", "type", "text",
                                                             "clientMsgId", "m-1", "createdAt", "2025-03-01T10:00:00Z")));
        assertThat(stored.createdAt(), is("2025-03-01T10:00:00Z"));
        assertThat(stored.fresh(), is(true));
    }

    @Test
    void aRepeatedClientMsgIdReturnsTheFirstMessageIdAndCreatedAt() {
        ChatStore.Stored first = send("c1", "alice", "hello", Optional.of("m-1"), "2025-03-01T10:00:00Z");

        ChatStore.Stored repeat = send("c1", "alice", "hello again", Optional.of("m-1"), "2025-03-01T10:00:09Z");

        assertThat(repeat, is(new ChatStore.Stored(first.messageId(), "2025-03-01T10:00:00Z", false)));
        assertThat(redis.xlen("chat:c1:messages"), is(1L));
    }

    @Test
    void aRepeatedClientMsgIdPublishesNothing() throws Exception {
        try (ChannelRecorder room = ChannelRecorder.start(REDIS.port(), ROOM_C1)) {
            send("c1", "alice", "hello", Optional.of("m-1"), "2025-03-01T10:00:00Z");
            assertThat(room.published(), hasSize(1));

            send("c1", "alice", "hello", Optional.of("m-1"), "2025-03-01T10:00:01Z");

            assertThat(room.published(), is(empty()));
        }
    }

    @Test
    void theClientMsgIdKeyHoldsTheFirstMessageIdFor24Hours() {
        ChatStore.Stored stored = send("c1", "alice", "hello", Optional.of("m-1"), "2025-03-01T10:00:00Z");

        String key = "chat:c1:client-msg:alice:m-1";
        assertThat(redis.get(key), is(stored.messageId()));
        assertThat(redis.ttl(key), is(allOf(greaterThan(86_390L), lessThanOrEqualTo(86_400L))));
    }

    @Test
    void theSameClientMsgIdFromAnotherUserIsANewMessage() {
        ChatStore.Stored alice = send("c1", "alice", "hello", Optional.of("m-1"), "2025-03-01T10:00:00Z");

        ChatStore.Stored bob = send("c1", "bob", "hello", Optional.of("m-1"), "2025-03-01T10:00:00Z");

        assertThat(bob.fresh(), is(true));
        assertThat(bob.messageId(), is(not(alice.messageId())));
    }

    @Test
    void theSameClientMsgIdInAnotherChatIsANewMessage() {
        send("c1", "alice", "hello", Optional.of("m-1"), "2025-03-01T10:00:00Z");

        ChatStore.Stored other = send("c2", "alice", "hello", Optional.of("m-1"), "2025-03-01T10:00:00Z");

        assertThat(other.fresh(), is(true));
    }

    @Test
    void messagesWithoutClientMsgIdAreNeverDeduplicated() {
        ChatStore.Stored first = send("c1", "alice", "hello", Optional.empty(), "2025-03-01T10:00:00Z");
        ChatStore.Stored second = send("c1", "alice", "hello", Optional.empty(), "2025-03-01T10:00:00Z");

        assertThat(second.fresh(), is(true));
        assertThat(second.messageId(), is(not(first.messageId())));
        assertThat(redis.xrange("chat:c1:messages", "-", "+").getFirst().getFields().get("clientMsgId"), is(""));
    }

    @Test
    void sendPublishesTheMessageOnTheRoomChannelAsAStoredRoomMessageNamingItsId() throws Exception {
        try (ChannelRecorder room = ChannelRecorder.start(REDIS.port(), ROOM_C1)) {
            ChatStore.Stored stored = send("c1", "alice", "hello", Optional.of("m-1"), "2025-03-01T10:00:00Z");

            List<Message> published = room.published();
            assertThat(published, hasSize(1));
            RoomMessage message = RoomMessage.decode(published.getFirst().payload());
            assertThat(message.exceptSocket(), is(Optional.empty()));
            assertThat(message.onlyDevice(), is(Optional.empty()));
            assertThat(message.messageId(), is(Optional.of(stored.messageId())));
            assertThat(message.frame(), is(codec.encode(new ChatMessage(stored.messageId(), "c1", "alice", "hello", "text", "m-1",
                                                                        "2025-03-01T10:00:00Z"))));
        }
    }

    @Test
    void messagesArePublishedInTheOrderTheyWereStored() throws Exception {
        int senders = 4;
        int perSender = 25;
        ExecutorService threads = Executors.newFixedThreadPool(senders);
        try (ChannelRecorder room = ChannelRecorder.start(REDIS.port(), ROOM_C1)) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> sending = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                String sender = "user-" + s;
                sending.add(threads.submit(() -> {
                    start.await();
                    for (int i = 0; i < perSender; i++) {
                        send("c1", sender, "message " + i, Optional.empty(), NOW.toString());
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> sender : sending) {
                sender.get(10, TimeUnit.SECONDS);
            }

            List<String> publishedIds = new ArrayList<>();
            for (Message message : room.published()) {
                publishedIds.add(mapper.readTree(RoomMessage.decode(message.payload()).frame()).get("data").get("id").asText());
            }
            List<String> storedIds = redis.xrange("chat:c1:messages", "-", "+").stream().map(e -> e.getID().toString()).toList();
            assertThat(storedIds, hasSize(senders * perSender));
            assertThat(publishedIds, is(storedIds));
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void sendEachStoresAndPublishesABatchInOrderAndARepeatInTheSameBatchGetsTheFirstId() throws Exception {
        try (ChannelRecorder room = ChannelRecorder.start(REDIS.port(), ROOM_C1)) {
            List<Supplier<ChatStore.Stored>> outcomes = chats.sendEach(List.of(message("c1", "alice", "one", Optional.of("m-1")),
                                                                              message("c1", "bob", "two", Optional.empty()),
                                                                              message("c1", "alice", "one again", Optional.of("m-1"))));

            List<String> storedIds = redis.xrange("chat:c1:messages", "-", "+").stream().map(e -> e.getID().toString()).toList();
            assertThat(storedIds, hasSize(2));
            assertThat(outcomes.get(0).get().messageId(), is(storedIds.get(0)));
            assertThat(outcomes.get(1).get().messageId(), is(storedIds.get(1)));
            assertThat(outcomes.get(2).get(), is(new ChatStore.Stored(storedIds.get(0), NOW.toString(), false)));
            List<String> publishedIds = new ArrayList<>();
            for (Message message : room.published()) {
                publishedIds.add(mapper.readTree(RoomMessage.decode(message.payload()).frame()).get("data").get("id").asText());
            }
            assertThat(publishedIds, is(storedIds));
        }
    }

    @Test
    void aMessageWhoseCallFailsInABatchFailsAloneAndTheOthersAreStored() {
        redis.set("chat:broken:messages", "not a stream");

        List<Supplier<ChatStore.Stored>> outcomes = chats.sendEach(List.of(message("c1", "alice", "before", Optional.empty()),
                                                                          message("broken", "alice", "lost", Optional.empty()),
                                                                          message("c1", "alice", "after", Optional.empty())));

        assertThat(outcomes.get(0).get().fresh(), is(true));
        assertThrows(JedisDataException.class, () -> outcomes.get(1).get());
        assertThat(outcomes.get(2).get().fresh(), is(true));
        assertThat(redis.xlen("chat:c1:messages"), is(2L));
    }

    @Test
    void withAReplicationWaitAndNoReplicaEveryMessageOfTheBatchIsStoredButNotReplicated() {
        ChatStore replicated = new ChatStore(redis, Optional.of(Duration.ofMillis(20)));

        List<Supplier<ChatStore.Stored>> outcomes = replicated.sendEach(List.of(message("c1", "alice", "one", Optional.empty()),
                                                                               message("c1", "bob", "two", Optional.empty())));

        List<String> storedIds = redis.xrange("chat:c1:messages", "-", "+").stream().map(e -> e.getID().toString()).toList();
        for (int i = 0; i < 2; i++) {
            NotReplicatedException notReplicated = assertThrows(NotReplicatedException.class, outcomes.get(i)::get);
            assertThat(notReplicated.stored().messageId(), is(storedIds.get(i)));
        }
    }

    @Test
    void theLastIdOfAChatWithoutStreamIsZero() {
        assertThat(chats.lastId("nothing-here"), is(MessageId.MIN));
    }

    @Test
    void theLastIdIsTheNewestEverStoredEvenWhenItWasDeleted() {
        List<String> ids = sendMessages("c1", 3);
        redis.xdel("chat:c1:messages", new StreamEntryID(ids.get(2)));

        assertThat(chats.lastId("c1"), is(MessageId.parse(ids.get(2)).orElseThrow()));
    }

    @Test
    void sinceEachReadsSeveralChatsInOneCall() {
        List<String> c1 = sendMessages("c1", 3);
        List<String> c2 = sendMessages("c2", 2);

        Map<String, ChatStore.Since> read = chats.sinceEach(Map.of("c1", MessageId.parse(c1.get(0)).orElseThrow(), "c2", MessageId.MIN,
                                                                   "c3", MessageId.MIN), 100);

        assertThat(read.get("c1").messages().stream().map(ChatMessage::id).toList(), is(c1.subList(1, 3)));
        assertThat(read.get("c2").messages().stream().map(ChatMessage::id).toList(), is(c2));
        assertThat(read.get("c2").recovered(), is(true));
        assertThat(read.get("c3").messages(), is(empty()));
    }

    @Test
    void sinceEachPagesAndSaysWhetherMoreFollow() {
        List<String> c1 = sendMessages("c1", 5);

        ChatStore.Since page = chats.sinceEach(Map.of("c1", MessageId.MIN), 2).get("c1");

        assertThat(page.messages().stream().map(ChatMessage::id).toList(), is(c1.subList(0, 2)));
        assertThat(page.hasMore(), is(true));
    }

    @Test
    void rejoinAllRecordsTheJoinsSilently() throws Exception {
        try (ChannelRecorder room = ChannelRecorder.start(REDIS.port(), ROOM_C1)) {
            chats.rejoinAll(List.of(new ChatStore.Membership("s1", "c1", "alice"), new ChatStore.Membership("s2", "c1", "alice"),
                                    new ChatStore.Membership("s1", "c1", "alice")));

            assertThat(room.published(), is(empty()));
        }
        assertThat(redis.hget("chat:c1:users", "alice"), is("2"));
        assertThat(redis.smembers("ws:connection-chats:s1"), is(java.util.Set.of("c1")));
        try (ChannelRecorder room = ChannelRecorder.start(REDIS.port(), ROOM_C1)) {
            assertThat(chats.join("s3", "c1", "alice", joined("c1", "alice")), is(false));
            assertThat(room.published(), is(empty()));
        }
    }

    @Test
    void aUsersFirstSocketJoiningPublishesUserJoined() throws Exception {
        try (ChannelRecorder room = ChannelRecorder.start(REDIS.port(), ROOM_C1)) {
            boolean first = chats.join("s1", "c1", "alice", joined("c1", "alice"));

            assertThat(first, is(true));
            assertThat(payloads(room.published()), contains(joined("c1", "alice")));
        }
    }

    @Test
    void aUsersSecondSocketJoiningPublishesNothing() throws Exception {
        chats.join("s1", "c1", "alice", joined("c1", "alice"));
        try (ChannelRecorder room = ChannelRecorder.start(REDIS.port(), ROOM_C1)) {
            boolean first = chats.join("s2", "c1", "alice", joined("c1", "alice"));

            assertThat(first, is(false));
            assertThat(room.published(), is(empty()));
        }
    }

    @Test
    void anotherUsersFirstSocketJoiningPublishesUserJoined() throws Exception {
        chats.join("s1", "c1", "alice", joined("c1", "alice"));
        try (ChannelRecorder room = ChannelRecorder.start(REDIS.port(), ROOM_C1)) {
            chats.join("s2", "c1", "bob", joined("c1", "bob"));

            assertThat(payloads(room.published()), contains(joined("c1", "bob")));
        }
    }

    @Test
    void aSocketJoiningTwiceCountsOnce() throws Exception {
        chats.join("s1", "c1", "alice", joined("c1", "alice"));
        boolean again = chats.join("s1", "c1", "alice", joined("c1", "alice"));
        try (ChannelRecorder room = ChannelRecorder.start(REDIS.port(), ROOM_C1)) {
            boolean last = chats.leave("s1", "c1", "alice", left("c1", "alice"));

            assertThat(again, is(false));
            assertThat(last, is(true));
            assertThat(payloads(room.published()), contains(left("c1", "alice")));
        }
    }

    @Test
    void joinRemembersTheChatWithTheSocketForTheConnectionTtl() {
        chats.join("s1", "c1", "alice", joined("c1", "alice"));
        chats.join("s1", "c2", "alice", joined("c2", "alice"));

        assertThat(redis.smembers("ws:connection-chats:s1"), containsInAnyOrder("c1", "c2"));
        assertThat(redis.ttl("ws:connection-chats:s1"), is(allOf(greaterThan(3590L), lessThanOrEqualTo(3600L))));
    }

    @Test
    void aUsersLastSocketLeavingPublishesUserLeft() throws Exception {
        chats.join("s1", "c1", "alice", joined("c1", "alice"));
        chats.join("s2", "c1", "alice", joined("c1", "alice"));
        try (ChannelRecorder room = ChannelRecorder.start(REDIS.port(), ROOM_C1)) {
            boolean firstLeft = chats.leave("s1", "c1", "alice", left("c1", "alice"));
            assertThat(room.published(), is(empty()));

            boolean lastLeft = chats.leave("s2", "c1", "alice", left("c1", "alice"));

            assertThat(firstLeft, is(false));
            assertThat(lastLeft, is(true));
            assertThat(payloads(room.published()), contains(left("c1", "alice")));
            assertThat(redis.exists("chat:c1:users"), is(false));
        }
    }

    @Test
    void leavingAChatTheSocketNeverJoinedPublishesNothing() throws Exception {
        chats.join("s1", "c1", "alice", joined("c1", "alice"));
        try (ChannelRecorder room = ChannelRecorder.start(REDIS.port(), ROOM_C1)) {
            boolean last = chats.leave("s2", "c1", "alice", left("c1", "alice"));

            assertThat(last, is(false));
            assertThat(room.published(), is(empty()));
            assertThat(redis.hget("chat:c1:users", "alice"), is("1"));
        }
    }

    @Test
    void unregisterOfASocketPublishesUserLeftInEachOfItsChats() throws Exception {
        ConnectionRecord s1 = socket("s1", "alice");
        connections.register(registration(s1), PRESENCE_TTL, NOW, true);
        chats.join("s1", "c1", "alice", joined("c1", "alice"));
        chats.join("s1", "c2", "alice", joined("c2", "alice"));
        try (ChannelRecorder rooms = ChannelRecorder.start(REDIS.port(), ROOM_C1, ROOM_C2)) {
            connections.unregister(s1, OfflineReason.DISCONNECTED, NOW);

            List<Message> published = rooms.published();
            assertThat(published, containsInAnyOrder(new Message(ROOM_C1, left("c1", "alice")),
                                                     new Message(ROOM_C2, left("c2", "alice"))));
        }
    }

    @Test
    void theOfflineMessageOfALastSocketNamesTheRoomsItHadJoined() throws Exception {
        ConnectionRecord s1 = socket("s1", "alice");
        connections.register(registration(s1), PRESENCE_TTL, NOW, true);
        chats.join("s1", "c1", "alice", joined("c1", "alice"));
        chats.join("s1", "c2", "alice", joined("c2", "alice"));
        try (ChannelRecorder presence = ChannelRecorder.start(REDIS.port(), RedisKeys.PRESENCE_CHANNEL)) {
            connections.unregister(s1, OfflineReason.DISCONNECTED, NOW);

            List<Message> published = presence.published();
            assertThat(published, hasSize(1));
            PresenceChange offline = mapper.readValue(published.getFirst().payload(), PresenceChange.class);
            assertThat(offline.type(), is(PresenceChange.Type.OFFLINE));
            assertThat(offline.userId(), is("alice"));
            assertThat(offline.reason(), is(OfflineReason.DISCONNECTED));
            assertThat(offline.timestamp(), is("2025-03-01T10:00:00Z"));
            assertThat(offline.rooms(), containsInAnyOrder("chat:c1", "chat:c2"));
        }
    }

    @Test
    void unregisterLeavesNoChatBookkeepingBehind() {
        ConnectionRecord s1 = socket("s1", "alice");
        connections.register(registration(s1), PRESENCE_TTL, NOW, true);
        chats.join("s1", "c1", "alice", joined("c1", "alice"));

        connections.unregister(s1, OfflineReason.DISCONNECTED, NOW);

        assertThat(redis.exists("ws:connection-chats:s1"), is(false));
        assertThat(redis.exists("chat:c1:users"), is(false));
    }

    @Test
    void unregisterOfASocketWhoseUserHasAnotherSocketInTheChatPublishesNoUserLeft() throws Exception {
        ConnectionRecord s1 = socket("s1", "alice", "laptop", "node-a");
        connections.register(registration(s1), PRESENCE_TTL, NOW, true);
        connections.register(registration(socket("s2", "alice", "phone", "node-b")), PRESENCE_TTL, NOW, true);
        chats.join("s1", "c1", "alice", joined("c1", "alice"));
        chats.join("s2", "c1", "alice", joined("c1", "alice"));
        try (ChannelRecorder channels = ChannelRecorder.start(REDIS.port(), ROOM_C1, RedisKeys.PRESENCE_CHANNEL)) {
            connections.unregister(s1, OfflineReason.DISCONNECTED, NOW);

            assertThat(channels.published(), is(empty()));
            assertThat(redis.hget("chat:c1:users", "alice"), is("1"));
        }
    }

    @Test
    void sinceReturnsExactlyTheMessagesAfterSinceIdOldestFirst() {
        List<String> ids = sendMessages("c1", 5);

        ChatStore.Since since = chats.since("c1", ids.get(1), 100);

        assertThat(since.recovered(), is(true));
        assertThat(since.hasMore(), is(false));
        assertThat(idsOf(since.messages()), is(ids.subList(2, 5)));
    }

    @Test
    void sinceReturnsOnePageAndSaysMoreFollow() {
        List<String> ids = sendMessages("c1", 5);

        ChatStore.Since since = chats.since("c1", ids.get(0), 2);

        assertThat(idsOf(since.messages()), is(ids.subList(1, 3)));
        assertThat(since.hasMore(), is(true));
    }

    @Test
    void sinceAPageThatEndsAtTheNewestMessageSaysNoMoreFollow() {
        List<String> ids = sendMessages("c1", 5);

        ChatStore.Since since = chats.since("c1", ids.get(2), 2);

        assertThat(idsOf(since.messages()), is(ids.subList(3, 5)));
        assertThat(since.hasMore(), is(false));
    }

    @Test
    void sinceTheNewestMessageReturnsNothing() {
        List<String> ids = sendMessages("c1", 3);

        ChatStore.Since since = chats.since("c1", ids.get(2), 100);

        assertThat(since.messages(), is(empty()));
        assertThat(since.recovered(), is(true));
        assertThat(since.hasMore(), is(false));
    }

    @Test
    void sinceInAChatWithoutMessagesRecoversNothing() {
        ChatStore.Since since = chats.since("empty", "1-0", 100);

        assertThat(since, is(new ChatStore.Since(true, List.of(), false)));
    }

    @Test
    void sinceCarriesEveryFieldOfTheStoredMessages() {
        ChatStore.Stored first = send("c1", "alice", "one", Optional.empty(), "2025-03-01T10:00:00Z");
        ChatStore.Stored second = send("c1", "bob", "two", Optional.of("m-2"), "2025-03-01T10:00:01Z");

        ChatStore.Since since = chats.since("c1", "0-0", 100);

        assertThat(since.messages(), contains(
                new ChatMessage(first.messageId(), "c1", "alice", "one", "text", null, "2025-03-01T10:00:00Z"),
                new ChatMessage(second.messageId(), "c1", "bob", "two", "text", "m-2", "2025-03-01T10:00:01Z")));
    }

    @Test
    void sinceAnIdThatWasTrimmedAwayIsNotRecoveredAndStartsAtTheOldestStoredMessage() {
        List<String> ids = sendMessages("c1", 5);
        redis.xtrim("chat:c1:messages", 3, false);

        ChatStore.Since since = chats.since("c1", ids.get(0), 100);

        assertThat(since.recovered(), is(false));
        assertThat(idsOf(since.messages()), is(ids.subList(2, 5)));
    }

    @Test
    void sinceAnIdOlderThanDeletedMessagesIsNotRecovered() {
        List<String> ids = sendMessages("c1", 4);
        redis.xdel("chat:c1:messages", new StreamEntryID(ids.get(0)), new StreamEntryID(ids.get(1)));

        ChatStore.Since since = chats.since("c1", ids.get(0), 100);

        assertThat(since.recovered(), is(false));
        assertThat(idsOf(since.messages()), is(ids.subList(2, 4)));
    }

    @Test
    void historyReturnsTheNewestMessagesFirstUpToTheLimit() {
        List<String> ids = sendMessages("c1", 5);

        List<ChatMessage> history = chats.history("c1", Optional.empty(), 3);

        assertThat(idsOf(history), is(reversed(ids.subList(2, 5))));
    }

    @Test
    void historyBeforeAnIdExcludesThatId() {
        List<String> ids = sendMessages("c1", 5);

        List<ChatMessage> history = chats.history("c1", Optional.of(ids.get(3)), 50);

        assertThat(idsOf(history), is(reversed(ids.subList(0, 3))));
    }

    @Test
    void historyBeforeAnIdStopsAtTheLimit() {
        List<String> ids = sendMessages("c1", 5);

        List<ChatMessage> history = chats.history("c1", Optional.of(ids.get(4)), 2);

        assertThat(idsOf(history), is(List.of(ids.get(3), ids.get(2))));
    }

    @Test
    void historyBeforeTheOldestMessageIsEmpty() {
        List<String> ids = sendMessages("c1", 3);

        assertThat(chats.history("c1", Optional.of(ids.get(0)), 50), is(empty()));
    }

    @Test
    void historyOfAChatWithoutMessagesIsEmpty() {
        assertThat(chats.history("nothing", Optional.empty(), 50), is(empty()));
    }

    @Test
    void historyCarriesEveryFieldOfTheStoredMessages() {
        ChatStore.Stored stored = send("c1", "alice", "hi", Optional.of("m-1"), "2025-03-01T10:00:00Z");

        assertThat(chats.history("c1", Optional.empty(), 1),
                   contains(new ChatMessage(stored.messageId(), "c1", "alice", "hi", "text", "m-1", "2025-03-01T10:00:00Z")));
    }

    @Test
    void historyBeforeTheSmallestIdIsEmpty() {
        sendMessages("c1", 2);

        assertThat(chats.history("c1", Optional.of("0-0"), 50), is(empty()));
    }

    @Test
    void historyBeforeAnIdBeyondTheSignedLongRangeReturnsTheNewestMessages() {
        List<String> ids = sendMessages("c1", 2);

        assertThat(idsOf(chats.history("c1", Optional.of("9223372036854775808-0"), 50)), is(reversed(ids)));
        assertThat(idsOf(chats.history("c1", Optional.of(MessageId.MAX.toString()), 50)), is(reversed(ids)));
    }

    @Test
    void historyRefusesWhatIsNotAMessageId() {
        assertThrows(IllegalArgumentException.class, () -> chats.history("c1", Optional.of("18446744073709551616-0"), 50));
    }

    @Test
    void sinceTheLargestIdReturnsNothing() {
        sendMessages("c1", 2);

        ChatStore.Since since = chats.since("c1", MessageId.MAX.toString(), 100);

        assertThat(since.messages(), is(empty()));
        assertThat(since.recovered(), is(true));
        assertThat(since.hasMore(), is(false));
    }

    @Test
    void sinceTheSmallestIdReturnsEveryMessage() {
        List<String> ids = sendMessages("c1", 3);

        assertThat(idsOf(chats.since("c1", "0-0", 100).messages()), is(ids));
    }

    @Test
    void sinceComparesIdsBeyondWhatALuaNumberHoldsExactly() {
        // 9007199254740997 is no double: as a Lua number it would equal 9007199254740996
        redis.xadd("chat:big:messages", new StreamEntryID("9007199254740995-0"), Map.of("senderId", "alice", "content", "a"));
        redis.xadd("chat:big:messages", new StreamEntryID("9007199254740997-0"), Map.of("senderId", "alice", "content", "b"));
        redis.xtrim("chat:big:messages", 1, false);

        ChatStore.Since since = chats.since("big", "9007199254740996-0", 100);

        assertThat(since.recovered(), is(false));
        assertThat(idsOf(since.messages()), is(List.of("9007199254740997-0")));
    }

    @Test
    void sinceRefusesWhatIsNotAMessageId() {
        assertThrows(IllegalArgumentException.class, () -> chats.since("c1", "1-2-3", 100));
    }

    @Test
    void membershipIsTheApplicationsMemberSet() {
        redis.sadd("chat:c1:members", "alice");

        assertThat(chats.isMember("c1", "alice"), is(true));
        assertThat(chats.isMember("c1", "bob"), is(false));
    }

    /** Sends as the gateway does: the room message is the encoded chat:message frame, split around its id. */
    private ChatStore.Stored send(String chatId, String senderId, String content, Optional<String> clientMsgId,
                                  String createdAt) {
        return chats.send(chatId, senderId, content, "text", clientMsgId, createdAt,
                          codec.encodeAroundId(new ChatMessage(null, chatId, senderId, content, "text",
                                                               clientMsgId.orElse(null), createdAt)));
    }

    private ChatStore.NewMessage message(String chatId, String senderId, String content, Optional<String> clientMsgId) {
        return new ChatStore.NewMessage(chatId, senderId, content, "text", clientMsgId, NOW.toString(),
                                        codec.encodeAroundId(new ChatMessage(null, chatId, senderId, content, "text",
                                                                             clientMsgId.orElse(null), NOW.toString())));
    }

    private List<String> sendMessages(String chatId, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(send(chatId, "alice", "message " + i, Optional.empty(), NOW.plusSeconds(i).toString()).messageId());
        }
        return ids;
    }

    private String joined(String chatId, String userId) {
        return RoomMessage.toAll(codec.encode(new ServerEvent.UserJoined(chatId, userId))).encode();
    }

    private String left(String chatId, String userId) {
        return RoomMessage.toAll(codec.encode(new ServerEvent.UserLeft(chatId, userId))).encode();
    }

    private static List<String> payloads(List<Message> messages) {
        return messages.stream().map(Message::payload).toList();
    }

    private static List<String> idsOf(List<ChatMessage> messages) {
        return messages.stream().map(ChatMessage::id).toList();
    }

    private static List<String> reversed(List<String> ids) {
        List<String> copy = new ArrayList<>(ids);
        Collections.reverse(copy);
        return copy;
    }
}
