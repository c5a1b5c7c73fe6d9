package dev.gateway.protocol.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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

import static dev.gateway.protocol.store.Sockets.registration;
import static dev.gateway.protocol.store.Sockets.socket;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * PROTOCOL section 6, version 2: ids with {@code :} (and {@code %}) in the stores, against a real Redis. Key names
 * here are spelled from the contract ({@code :} is {@code %3A}, {@code %} is {@code %25}), not taken from RedisKeys.
 */
class EscapedKeysTest {
    @RegisterExtension
    static final TestRedis REDIS = new TestRedis();

    private static final Duration PRESENCE_TTL = Duration.ofSeconds(60);
    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");

    private final FrameCodec codec = FrameCodec.create();
    private final ObjectMapper mapper = Json.mapper();
    private RedisClient redis;
    private ConnectionStore connections;
    private ChatStore chats;

    @BeforeEach
    void setUp() {
        redis = REDIS.client();
        connections = new ConnectionStore(redis, mapper);
        chats = new ChatStore(redis);
    }

    @Test
    void userU1WithClientMsgIdXm1AndUserU1xWithM1StoreTwoMessages() throws Exception {
        try (ChannelRecorder room = ChannelRecorder.start(REDIS.port(), "gw:room:chat:c1")) {
            ChatStore.Stored first = send("c1", "u1", Optional.of("x:m1"));
            ChatStore.Stored second = send("c1", "u1:x", Optional.of("m1"));

            assertThat(first.fresh(), is(true));
            assertThat(second.fresh(), is(true));
            assertThat(second.messageId(), is(not(first.messageId())));
            assertThat(redis.xlen("chat:c1:messages"), is(2L));
            assertThat(room.published(), hasSize(2));
            assertThat(redis.get("chat:c1:client-msg:u1:x%3Am1"), is(first.messageId()));
            assertThat(redis.get("chat:c1:client-msg:u1%3Ax:m1"), is(second.messageId()));
        }
    }

    @Test
    void aRepeatOfAClientMsgIdWithAColonIsStillRecognised() {
        ChatStore.Stored first = send("c1", "u1", Optional.of("x:m1"));
        ChatStore.Stored again = send("c1", "u1", Optional.of("x:m1"));

        assertThat(again.fresh(), is(false));
        assertThat(again.messageId(), is(first.messageId()));
    }

    @Test
    void userXDevice1AndUserXsDeviceD1HaveSetsOfTheirOwn() {
        connections.register(registration(socket("s-x", "X", "d1", "node-a")), PRESENCE_TTL, NOW, true);
        connections.register(registration(socket("s-other", "X:device:d1", "web", "node-a")), PRESENCE_TTL, NOW, true);

        assertThat(redis.smembers("ws:user:X:device:d1:connections"), is(Set.of("s-x")));
        assertThat(redis.smembers("ws:user:X%3Adevice%3Ad1:connections"), is(Set.of("s-other")));
        assertThat(connections.socketsOfUser("X:device:d1"), is(Set.of("s-other")));
        assertThat(connections.socketsOfDevice("X", "d1"), is(Set.of("s-x")));
    }

    @Test
    void removingTheUserWithColonsLeavesTheOtherUsersDeviceAlone() {
        ConnectionRecord other = socket("s-other", "X:device:d1", "web", "node-a");
        connections.register(registration(socket("s-x", "X", "d1", "node-a")), PRESENCE_TTL, NOW, true);
        connections.register(registration(other), PRESENCE_TTL, NOW, true);

        connections.unregister(other, OfflineReason.DISCONNECTED, NOW);

        assertThat(connections.socketsOfDevice("X", "d1"), is(Set.of("s-x")));
        assertThat(connections.find("s-x").isPresent(), is(true));
        assertThat(redis.zscore("presence:online", "X"), is((double) NOW.toEpochMilli()));
    }

    @Test
    void recordContentsKeepTheRawIds() throws Exception {
        connections.register(registration(socket("s1", "google-oauth2:123", "dev:1", "node:a")), PRESENCE_TTL, NOW, true);

        ConnectionRecord record = mapper.readValue(redis.get("ws:connection:s1"), ConnectionRecord.class);
        assertThat(record.userId(), is("google-oauth2:123"));
        assertThat(record.deviceId(), is("dev:1"));
        assertThat(record.serverId(), is("node:a"));
        assertThat(redis.smembers("ws:nodes"), is(Set.of("node:a")));
        assertThat(redis.zrange("presence:online", 0, -1), contains("google-oauth2:123"));
        assertThat(redis.keys("*"), is(Set.of("ws:connection:s1", "ws:user:google-oauth2%3A123:connections",
                                              "ws:user:google-oauth2%3A123:device:dev%3A1:connections",
                                              "presence:user:google-oauth2%3A123", "presence:online",
                                              "ws:node:node%3Aa:connections", "ws:nodes", RedisKeys.EVENTS)));
    }

    @Test
    void aChatWithColonsInItsIdIsStoredAndPublishedUnderEscapedNames() throws Exception {
        try (ChannelRecorder room = ChannelRecorder.start(REDIS.port(), "gw:room:chat:dm%3Aalice%3Abob")) {
            ChatStore.Stored stored = send("dm:alice:bob", "alice", Optional.empty());

            assertThat(redis.xlen("chat:dm%3Aalice%3Abob:messages"), is(1L));
            List<Message> published = room.published();
            assertThat(published, hasSize(1));
            assertThat(mapper.readTree(RoomMessage.decode(published.getFirst().payload()).frame()).at("/data/chatId").asText(),
                       is("dm:alice:bob"));
            assertThat(chats.history("dm:alice:bob", Optional.empty(), 10).getFirst().id(), is(stored.messageId()));
        }
    }

    @Test
    void unregisterLeavesAChatWithColonsUnderItsEscapedNamesWithTheRawIdInTheFrame() throws Exception {
        ConnectionRecord alice = socket("s1", "u:alice");
        connections.register(registration(alice), PRESENCE_TTL, NOW, true);
        chats.join("s1", "dm:alice:bob", "u:alice", joined("dm:alice:bob", "u:alice"));
        assertThat(redis.smembers("ws:connection-chats:s1"), is(Set.of("dm:alice:bob")));
        assertThat(redis.hget("chat:dm%3Aalice%3Abob:users", "u:alice"), is("1"));
        try (ChannelRecorder channels = ChannelRecorder.start(REDIS.port(), "gw:room:chat:dm%3Aalice%3Abob", RedisKeys.PRESENCE_CHANNEL)) {
            connections.unregister(alice, OfflineReason.EXPIRED, NOW);

            List<Message> published = channels.published();
            assertThat(payloadsOn("gw:room:chat:dm%3Aalice%3Abob", published),
                       contains(joinedOrLeft(new ServerEvent.UserLeft("dm:alice:bob", "u:alice"))));
            List<String> presence = payloadsOn(RedisKeys.PRESENCE_CHANNEL, published);
            assertThat(presence, hasSize(1));
            PresenceChange offline = mapper.readValue(presence.getFirst(), PresenceChange.class);
            assertThat(offline.userId(), is("u:alice"));
            assertThat(offline.reason(), is(OfflineReason.EXPIRED));
            assertThat(offline.rooms(), contains("chat:dm%3Aalice%3Abob"));
        }
        assertThat(redis.keys("*"), is(Set.of("ws:nodes", RedisKeys.EVENTS)));
    }

    @Test
    void unregisterChangesNothingWhenTheChatSetNoLongerHoldsTheChatsItWasGiven() {
        ConnectionRecord alice = socket("s1", "alice");
        connections.register(registration(alice), PRESENCE_TTL, NOW, true);
        chats.join("s1", "c1", "alice", joined("c1", "alice"));
        Set<String> before = redis.keys("*");

        // as a caller that read the chat set before the join: no chats given
        Object result = LuaScript.load("unregister.lua").eval(redis,
                List.of("ws:connection:s1", "ws:user:alice:connections", "ws:user:alice:device:laptop:connections",
                        "presence:user:alice", "presence:online", "ws:node:node-a:connections", "ws:connection-chats:s1",
                        RedisKeys.EVENTS),
                List.of("s1", "alice", RedisKeys.PRESENCE_CHANNEL, "{}", "0", "0", "", ""));

        assertThat(result, is(-1L));
        assertThat(redis.keys("*"), is(before));
        assertThat(connections.unregister(alice, OfflineReason.DISCONNECTED, NOW), is(ConnectionStore.Removal.WENT_OFFLINE));
        assertThat(redis.keys("*"), is(Set.of("ws:nodes", RedisKeys.EVENTS)));
    }

    @Test
    void leavingAChatWithColonsPublishesOnItsEscapedChannel() throws Exception {
        chats.join("s1", "a:b", "alice", joined("a:b", "alice"));
        try (ChannelRecorder room = ChannelRecorder.start(REDIS.port(), "gw:room:chat:a%3Ab")) {
            chats.leave("s1", "a:b", "alice", joinedOrLeft(new ServerEvent.UserLeft("a:b", "alice")));

            assertThat(room.published(), hasSize(1));
            assertThat(redis.exists("chat:a%3Ab:users"), is(false));
        }
    }

    @Test
    void aPercentInAnIdIsEscapedToo() {
        connections.register(registration(socket("s1", "100%", "laptop", "node-a")), PRESENCE_TTL, NOW, true);
        connections.register(registration(socket("s2", "100%25", "laptop", "node-a")), PRESENCE_TTL, NOW, true);

        assertThat(redis.smembers("ws:user:100%25:connections"), is(Set.of("s1")));
        assertThat(redis.smembers("ws:user:100%2525:connections"), is(Set.of("s2")));
    }

    private ChatStore.Stored send(String chatId, String senderId, Optional<String> clientMsgId) {
        String createdAt = NOW.toString();
        return chats.send(chatId, senderId, "hi", "text", clientMsgId, createdAt,
                          codec.encodeAroundId(new ChatMessage(null, chatId, senderId, "hi", "text", clientMsgId.orElse(null),
                                                               createdAt)));
    }

    private static List<String> payloadsOn(String channel, List<Message> messages) {
        return messages.stream().filter(m -> m.channel().equals(channel)).map(Message::payload).toList();
    }

    private String joined(String chatId, String userId) {
        return joinedOrLeft(new ServerEvent.UserJoined(chatId, userId));
    }

    private String joinedOrLeft(ServerEvent event) {
        return RoomMessage.toAll(codec.encode(event)).encode();
    }
}
