package dev.gateway.protocol.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.gateway.protocol.event.FrameCodec;
import dev.gateway.protocol.event.Json;
import dev.gateway.protocol.event.OfflineReason;
import dev.gateway.protocol.event.ServerEvent;
import dev.gateway.testsupport.TestRedis;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.resps.StreamEntry;

import static dev.gateway.protocol.store.Sockets.registration;
import static dev.gateway.protocol.store.Sockets.socket;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The event stream as the stores' scripts write it: each happening once, nothing for what did not happen. */
class EventStreamTest {
    @RegisterExtension
    static final TestRedis REDIS = new TestRedis();

    private static final Duration PRESENCE_TTL = Duration.ofSeconds(60);
    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
    /** A message's room frame, when the test looks only at the event stream. */
    private static final FrameCodec.Split NO_FRAME = new FrameCodec.Split("", "");

    private final ObjectMapper mapper = Json.mapper();
    private RedisClient redis;
    private ConnectionStore connections;
    private ChatStore chats;

    @BeforeEach
    void setUp() {
        redis = REDIS.client();
        use(EventStream.DEFAULT);
    }

    private void use(EventStream events) {
        connections = new ConnectionStore(redis, mapper, events);
        chats = new ChatStore(redis, Optional.empty(), events);
    }

    private List<String> types() {
        return entries().stream().map(entry -> entry.getFields().get("type")).toList();
    }

    private List<StreamEntry> entries() {
        return redis.xrange(RedisKeys.EVENTS, "-", "+");
    }

    private Map<?, ?> data(int index) throws Exception {
        return mapper.readValue(entries().get(index).getFields().get("data"), Map.class);
    }

    @Test
    void aUsersFirstSocketAppendsSocketOpenedThenUserOnline() throws Exception {
        connections.register(registration(socket("s1", "alice", "laptop", "node-a")), PRESENCE_TTL, NOW, true);

        assertThat(types(), contains("socket.opened", "user.online"));
        assertThat(data(0), is(Map.of("socketId", "s1", "userId", "alice", "deviceId", "laptop", "serverId", "node-a",
                                      "timestamp", "2025-03-01T10:00:00Z")));
        assertThat(data(1), is(Map.of("userId", "alice", "timestamp", "2025-03-01T10:00:00Z", "serverId", "node-a")));
    }

    @Test
    void aSecondTabAppendsOnlySocketOpened() {
        connections.register(registration(socket("s1", "alice")), PRESENCE_TTL, NOW, true);
        connections.register(registration(socket("s2", "alice")), PRESENCE_TTL, NOW, true);

        assertThat(types(), contains("socket.opened", "user.online", "socket.opened"));
    }

    @Test
    void registeringTheSameSocketTwiceAppendsOnce() {
        connections.register(registration(socket("s1", "alice")), PRESENCE_TTL, NOW, true);
        connections.register(registration(socket("s1", "alice")), PRESENCE_TTL, NOW, true);

        assertThat(types(), contains("socket.opened", "user.online"));
    }

    @Test
    void aSilentRegistrationAppendsNothing() {
        connections.registerAll(List.of(registration(socket("s1", "alice"))), PRESENCE_TTL, NOW, false);

        assertThat(entries(), is(empty()));
    }

    @Test
    void aRegistrationRefusedByTheCapAppendsNothing() {
        connections.register(registration(socket("s1", "alice")), PRESENCE_TTL, NOW, true, 1);
        long before = entries().size();

        assertThat(connections.register(registration(socket("s2", "alice")), PRESENCE_TTL, NOW, true, 1),
                   is(ConnectionStore.Registered.OVER_USER_CAP));
        assertThat((long) entries().size(), is(before));
    }

    @Test
    void theLastSocketClosingAppendsSocketClosedChatUserLeftAndUserOffline() throws Exception {
        ConnectionRecord s1 = socket("s1", "alice", "laptop", "node-a");
        connections.register(registration(s1), PRESENCE_TTL, NOW, true);
        chats.join("s1", "c1", "alice", "joined");

        connections.unregister(s1, OfflineReason.DISCONNECTED, new EventStream.Closure(1000, "client-closed"), NOW);

        assertThat(types(), contains("socket.opened", "user.online", "chat.user-joined", "socket.closed", "chat.user-left",
                                     "user.offline"));
        assertThat(data(2), is(Map.of("chatId", "c1", "userId", "alice")));
        assertThat(data(3), is(Map.of("socketId", "s1", "userId", "alice", "deviceId", "laptop", "serverId", "node-a",
                                      "timestamp", "2025-03-01T10:00:00Z", "code", 1000, "reason", "client-closed")));
        assertThat(data(4), is(Map.of("chatId", "c1", "userId", "alice")));
        assertThat(data(5), is(Map.of("userId", "alice", "timestamp", "2025-03-01T10:00:00Z", "reason", "disconnected")));
    }

    @Test
    void removingASocketTwiceAppendsOnce() {
        ConnectionRecord s1 = socket("s1", "alice");
        connections.register(registration(s1), PRESENCE_TTL, NOW, true);

        connections.unregister(s1, OfflineReason.EXPIRED, NOW);
        connections.unregister(s1, OfflineReason.EXPIRED, NOW);

        assertThat(types(), contains("socket.opened", "user.online", "socket.closed", "user.offline"));
    }

    @Test
    void aSocketOfADeadNodeClosesAbnormally() throws Exception {
        ConnectionRecord s1 = socket("s1", "alice");
        connections.register(registration(s1), PRESENCE_TTL, NOW, true);

        connections.unregister(s1, OfflineReason.EXPIRED, NOW);

        assertThat(data(2).get("code"), is(1006));
        assertThat(data(2).get("reason"), is("node-dead"));
        assertThat(data(3).get("reason"), is("expired"));
    }

    @Test
    void aSilentRemovalAppendsNothing() {
        ConnectionRecord s1 = socket("s1", "alice");
        connections.registerAll(List.of(registration(s1)), PRESENCE_TTL, NOW, false);
        chats.rejoinAll(List.of(new ChatStore.Membership("s1", "c1", "alice")));

        connections.unregisterSilently(s1);

        assertThat(entries(), is(empty()));
    }

    @Test
    void onlyTheUsersFirstJoinAndLastLeaveAppend() {
        chats.join("s1", "c1", "alice", "joined");
        chats.join("s2", "c1", "alice", "joined");
        chats.join("s2", "c1", "alice", "joined");
        chats.leave("s1", "c1", "alice", "left");
        chats.leave("s1", "c1", "alice", "left");
        chats.leave("s2", "c1", "alice", "left");

        assertThat(types(), contains("chat.user-joined", "chat.user-left"));
    }

    @Test
    void aStoredMessageAppendsTheChatMessageDataOfTheContract() throws Exception {
        ChatStore.Stored stored = chats.send("c1", "alice", "hi \"there\"", "text", Optional.of("m1"), NOW.toString(), NO_FRAME);

        assertThat(types(), contains("chat.message"));
        ServerEvent.ChatMessage expected = new ServerEvent.ChatMessage(stored.messageId(), "c1", "alice", "hi \"there\"", "text",
                                                                       "m1", NOW.toString());
        assertThat(entries().getFirst().getFields().get("data"), is(mapper.writeValueAsString(expected)));
    }

    @Test
    void aMessageWithoutClientMsgIdHasANullClientMsgId() throws Exception {
        chats.send("c1", "alice", "hi", "text", Optional.empty(), NOW.toString(), NO_FRAME);

        assertThat(data(0).containsKey("clientMsgId"), is(true));
        assertThat(data(0).get("clientMsgId"), is((Object) null));
    }

    @Test
    void aRepeatedClientMsgIdAppendsNothing() {
        chats.send("c1", "alice", "hi", "text", Optional.of("m1"), NOW.toString(), NO_FRAME);
        chats.send("c1", "alice", "hi", "text", Optional.of("m1"), NOW.toString(), NO_FRAME);

        assertThat(types(), contains("chat.message"));
    }

    @Test
    void anExpiredUserAppendsUserOfflineExpiredOnce() throws Exception {
        PresenceStore presence = new PresenceStore(redis, mapper, connections);
        redis.zadd(RedisKeys.PRESENCE_ONLINE, NOW.toEpochMilli(), "alice");

        presence.expireLapsed(NOW.plus(PRESENCE_TTL).plusSeconds(1), PRESENCE_TTL);
        presence.expireLapsed(NOW.plus(PRESENCE_TTL).plusSeconds(2), PRESENCE_TTL);

        assertThat(types(), contains("user.offline"));
        assertThat(data(0).get("reason"), is("expired"));
    }

    @Test
    void offAppendsNothingAtAll() {
        use(EventStream.OFF);
        ConnectionRecord s1 = socket("s1", "alice");
        connections.register(registration(s1), PRESENCE_TTL, NOW, true);
        chats.join("s1", "c1", "alice", "joined");
        chats.send("c1", "alice", "hi", "text", Optional.empty(), NOW.toString(), NO_FRAME);
        chats.leave("s1", "c1", "alice", "left");
        connections.unregister(s1, OfflineReason.DISCONNECTED, NOW);

        assertThat(redis.exists(RedisKeys.EVENTS), is(false));
    }

    @Test
    void theStreamIsTrimmedToAboutMaxLen() {
        use(new EventStream(true, 100));
        for (int i = 0; i < 1000; i++) {
            chats.send("c1", "alice", "m" + i, "text", Optional.empty(), NOW.toString(), NO_FRAME);
        }

        // MAXLEN ~ trims whole macro nodes (100 entries each by default): about 100, never the 1000 written
        assertThat(redis.xlen(RedisKeys.EVENTS), lessThan(300L));
    }

    @Test
    void theStreamCostsNoRoundTripOnlyAnXaddInsideTheScripts() {
        for (EventStream events : List.of(EventStream.OFF, EventStream.DEFAULT)) {
            use(events);
            redis.flushAll();
            ConnectionRecord s1 = socket("s1", "alice");
            connections.register(registration(s1), PRESENCE_TTL, NOW, true); // loads the script: EVAL once, then EVALSHA
            redis.sendCommand(Protocol.Command.CONFIG, "RESETSTAT");

            connections.register(registration(socket("s2", "bob")), PRESENCE_TTL, NOW, true);
            chats.send("c1", "bob", "hi", "text", Optional.empty(), NOW.toString(), NO_FRAME);

            Map<String, Long> calls = commandCalls();
            assertThat(events + ": scripts run", calls.getOrDefault("evalsha", 0L) + calls.getOrDefault("eval", 0L), is(2L));
            // the chat stream's XADD, plus socket.opened, user.online and chat.message when on
            assertThat(events + ": XADD", calls.getOrDefault("xadd", 0L), is(events.enabled() ? 4L : 1L));
        }
    }

    private Map<String, Long> commandCalls() {
        Map<String, Long> calls = new java.util.HashMap<>();
        for (String line : redis.info("commandstats").split("\r?\n")) {
            if (line.startsWith("cmdstat_")) {
                String name = line.substring("cmdstat_".length(), line.indexOf(':'));
                String value = line.substring(line.indexOf("calls=") + "calls=".length());
                calls.put(name, Long.parseLong(value.substring(0, value.indexOf(','))));
            }
        }
        return calls;
    }

    @Test
    void settingsReadOnOffAndALength() {
        assertThat(EventStream.of(Optional.empty(), Optional.empty()), is(EventStream.DEFAULT));
        assertThat(EventStream.of(Optional.of("OFF"), Optional.of(" 500 ")), is(new EventStream(false, 500)));
        assertThat(EventStream.of(Optional.of("on"), Optional.of("")).maxLenArgument(), is("100000"));
        assertThat(EventStream.OFF.maxLenArgument(), is("0"));
    }

    @Test
    void badSettingsAreRefusedWithTheVariableNamed() {
        IllegalArgumentException events = assertThrows(IllegalArgumentException.class,
                                                       () -> EventStream.of(Optional.of("maybe"), Optional.empty()));
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
                                                       () -> EventStream.of(Optional.empty(), Optional.of("0")));

        assertThat(events.getMessage(), is("EVENTS must be on or off, got 'maybe'"));
        assertThat(length.getMessage(), is("EVENTS_MAXLEN must be a positive integer, got '0'"));
    }
}
