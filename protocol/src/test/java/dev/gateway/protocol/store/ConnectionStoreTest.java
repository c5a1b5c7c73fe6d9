package dev.gateway.protocol.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.gateway.protocol.event.Json;
import dev.gateway.protocol.event.OfflineReason;
import dev.gateway.protocol.store.ConnectionStore.Registered;
import dev.gateway.protocol.store.ConnectionStore.Registration;
import dev.gateway.protocol.store.ConnectionStore.Removal;
import dev.gateway.testsupport.ChannelRecorder;
import dev.gateway.testsupport.ChannelRecorder.Message;
import dev.gateway.testsupport.TestRedis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

import static dev.gateway.protocol.store.Sockets.registration;
import static dev.gateway.protocol.store.Sockets.socket;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

class ConnectionStoreTest {
    @RegisterExtension
    static final TestRedis REDIS = new TestRedis();

    private static final Duration PRESENCE_TTL = Duration.ofSeconds(60);
    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");

    private final ObjectMapper mapper = Json.mapper();
    private RedisClient redis;
    private ConnectionStore store;

    @BeforeEach
    void setUp() {
        redis = REDIS.client();
        store = new ConnectionStore(redis, mapper);
    }

    @Test
    void registerWritesTheConnectionRecordWithTheFieldsOfTheContract() throws Exception {
        store.register(registration(socket("s1", "alice", "laptop", "node-a")), PRESENCE_TTL, NOW, true);

        JsonNode record = mapper.readTree(redis.get("ws:connection:s1"));
        List<String> fields = new ArrayList<>();
        record.fieldNames().forEachRemaining(fields::add);
        assertThat(fields, contains("userId", "socketId", "roleContextId", "deviceId", "deviceName", "userAgent", "ipAddress",
                                    "connectedAt", "serverId"));
        assertThat(record.get("userId").asText(), is("alice"));
        assertThat(record.get("socketId").asText(), is("s1"));
        assertThat(record.get("deviceId").asText(), is("laptop"));
        assertThat(record.get("serverId").asText(), is("node-a"));
        assertThat(record.get("connectedAt").asText(), is("2025-03-01T10:00:00Z"));
    }

    @Test
    void registerGivesTheConnectionRecordTheConnectionTtl() {
        store.register(registration(socket("s1", "alice")), PRESENCE_TTL, NOW, true);

        assertThat(redis.ttl("ws:connection:s1"), is(allOf(greaterThan(3590L), lessThanOrEqualTo(3600L))));
    }

    @Test
    void registerAddsTheSocketToItsUserAndDeviceSetsWithTheConnectionTtl() {
        store.register(registration(socket("s1", "alice", "laptop", "node-a")), PRESENCE_TTL, NOW, true);

        assertThat(redis.smembers("ws:user:alice:connections"), is(Set.of("s1")));
        assertThat(redis.smembers("ws:user:alice:device:laptop:connections"), is(Set.of("s1")));
        assertThat(redis.ttl("ws:user:alice:connections"), is(allOf(greaterThan(3590L), lessThanOrEqualTo(3600L))));
        assertThat(redis.ttl("ws:user:alice:device:laptop:connections"), is(allOf(greaterThan(3590L), lessThanOrEqualTo(3600L))));
    }

    @Test
    void registerWritesThePresenceEntryWithThePresenceTtl() throws Exception {
        store.register(registration(socket("s1", "alice", "laptop", "node-a"), NOW), PRESENCE_TTL, NOW, true);

        Map<String, String> presence = redis.hgetAll("presence:user:alice");
        assertThat(presence.keySet(), is(Set.of("s1")));
        JsonNode entry = mapper.readTree(presence.get("s1"));
        assertThat(entry.get("serverId").asText(), is("node-a"));
        assertThat(entry.get("connectedAt").asText(), is("2025-03-01T10:00:00Z"));
        assertThat(entry.get("lastSeen").asText(), is("2025-03-01T10:00:00Z"));
        assertThat(redis.pttl("presence:user:alice"), is(allOf(greaterThan(50_000L), lessThanOrEqualTo(60_000L))));
    }

    @Test
    void registerScoresTheUserInPresenceOnlineByNowInEpochMillis() {
        store.register(registration(socket("s1", "alice")), PRESENCE_TTL, NOW, true);

        assertThat(redis.zscore("presence:online", "alice"), is((double) NOW.toEpochMilli()));
        assertThat(redis.ttl("presence:online"), is(-1L));
    }

    @Test
    void registerListsTheSocketUnderItsNodeAndTheNodeInTheDirectory() {
        store.register(registration(socket("s1", "alice", "laptop", "node-a")), PRESENCE_TTL, NOW, true);

        assertThat(redis.smembers("ws:node:node-a:connections"), is(Set.of("s1")));
        assertThat(redis.ttl("ws:node:node-a:connections"), is(-1L));
        assertThat(redis.smembers("ws:nodes"), is(Set.of("node-a")));
    }

    @Test
    void registerWritesNoOtherKeys() {
        store.register(registration(socket("s1", "alice", "laptop", "node-a")), PRESENCE_TTL, NOW, true);

        assertThat(redis.keys("*"), is(Set.of("ws:connection:s1", "ws:user:alice:connections",
                                              "ws:user:alice:device:laptop:connections", "presence:user:alice",
                                              "presence:online", "ws:node:node-a:connections", "ws:nodes",
                                              RedisKeys.EVENTS)));
    }

    @Test
    void theFirstSocketOfAUserPublishesExactlyOneOnlineMessage() throws Exception {
        try (ChannelRecorder presence = ChannelRecorder.start(REDIS.port(), RedisKeys.PRESENCE_CHANNEL)) {
            boolean wentOnline = store.register(registration(socket("s1", "alice")), PRESENCE_TTL, NOW, true);

            List<Message> published = presence.published();
            assertThat(wentOnline, is(true));
            assertThat(published, hasSize(1));
            JsonNode message = mapper.readTree(published.getFirst().payload());
            assertThat(message.get("type").asText(), is("online"));
            assertThat(message.get("userId").asText(), is("alice"));
            assertThat(message.get("timestamp").asText(), is("2025-03-01T10:00:00Z"));
        }
    }

    @Test
    void aSecondSocketOfTheSameUserPublishesNothing() throws Exception {
        store.register(registration(socket("s1", "alice", "laptop", "node-a")), PRESENCE_TTL, NOW, true);
        try (ChannelRecorder presence = ChannelRecorder.start(REDIS.port(), RedisKeys.PRESENCE_CHANNEL)) {
            boolean wentOnline = store.register(registration(socket("s2", "alice", "phone", "node-b")), PRESENCE_TTL, NOW, true);

            assertThat(wentOnline, is(false));
            assertThat(presence.published(), is(empty()));
        }
    }

    @Test
    void aSilentRegistrationBringsTheUserOnlineWithoutPublishing() throws Exception {
        try (ChannelRecorder presence = ChannelRecorder.start(REDIS.port(), RedisKeys.PRESENCE_CHANNEL)) {
            boolean wentOnline = store.register(registration(socket("s1", "alice")), PRESENCE_TTL, NOW, false);

            assertThat(wentOnline, is(true));
            assertThat(presence.published(), is(empty()));
            assertThat(redis.zscore("presence:online", "alice"), is((double) NOW.toEpochMilli()));
        }
    }

    @Test
    void registerAllRegistersEverySocketInOneCall() {
        store.registerAll(List.of(registration(socket("s1", "alice")), registration(socket("s2", "bob"))),
                          PRESENCE_TTL, NOW, false);

        assertThat(store.find("s1").orElseThrow().userId(), is("alice"));
        assertThat(store.find("s2").orElseThrow().userId(), is("bob"));
        assertThat(store.socketsOfNode("node-a"), is(Set.of("s1", "s2")));
    }

    @Test
    void aSocketWithinTheCapIsRegistered() {
        store.register(registration(socket("s1", "alice")), PRESENCE_TTL, NOW, true, 2);

        Registered second = store.register(registration(socket("s2", "alice")), PRESENCE_TTL, NOW, true, 2);

        assertThat(second, is(Registered.ADDED));
        assertThat(store.socketsOfUser("alice"), is(Set.of("s1", "s2")));
    }

    @Test
    void aSocketBeyondTheCapIsRefusedAndNothingIsWrittenOrPublished() throws Exception {
        store.register(registration(socket("s1", "alice")), PRESENCE_TTL, NOW, true, 1);
        Map<String, String> before = dump();
        try (ChannelRecorder presence = ChannelRecorder.start(REDIS.port(), RedisKeys.PRESENCE_CHANNEL)) {
            Registered refused = store.register(registration(socket("s2", "alice", "phone", "node-b")), PRESENCE_TTL,
                                                NOW.plusSeconds(1), true, 1);

            assertThat(refused, is(Registered.OVER_USER_CAP));
            assertThat(dump(), is(before));
            assertThat(presence.published(), is(empty()));
        }
    }

    @Test
    void theCapCountsTheUsersSocketsOnEveryNode() {
        store.register(registration(socket("s1", "alice", "laptop", "node-a")), PRESENCE_TTL, NOW, true, 2);
        store.register(registration(socket("s2", "alice", "phone", "node-b")), PRESENCE_TTL, NOW, true, 2);

        Registered third = store.register(registration(socket("s3", "alice", "tablet", "node-c")), PRESENCE_TTL, NOW, true, 2);

        assertThat(third, is(Registered.OVER_USER_CAP));
        assertThat(store.socketsOfNode("node-c"), is(empty()));
    }

    @Test
    void theCapIsPerUser() {
        store.register(registration(socket("s1", "alice")), PRESENCE_TTL, NOW, true, 1);

        assertThat(store.register(registration(socket("s2", "bob")), PRESENCE_TTL, NOW, true, 1), is(Registered.WENT_ONLINE));
    }

    @Test
    void aSocketFitsAgainOnceAnotherOfTheUsersSocketsIsGone() {
        ConnectionRecord s1 = socket("s1", "alice");
        store.register(registration(s1), PRESENCE_TTL, NOW, true, 1);
        store.unregister(s1, OfflineReason.DISCONNECTED, NOW);

        assertThat(store.register(registration(socket("s2", "alice")), PRESENCE_TTL, NOW, true, 1), is(Registered.WENT_ONLINE));
    }

    @Test
    void registeringASocketThatIsCountedAlreadyIsNeverRefused() {
        store.register(registration(socket("s1", "alice")), PRESENCE_TTL, NOW, true, 1);

        assertThat(store.register(registration(socket("s1", "alice")), PRESENCE_TTL, NOW, true, 1), is(Registered.ADDED));
    }

    @Test
    void reRegisteringAnOpenSocketHasNoCap() {
        store.register(registration(socket("s1", "alice")), PRESENCE_TTL, NOW, true, 1);

        store.register(registration(socket("s2", "alice")), PRESENCE_TTL, NOW, false);
        store.registerAll(List.of(registration(socket("s3", "alice"))), PRESENCE_TTL, NOW, false);

        assertThat(store.socketsOfUser("alice"), is(Set.of("s1", "s2", "s3")));
    }

    @Test
    void concurrentRegistrationsOnSeveralNodesNeverExceedTheCap() throws Exception {
        int cap = 5;
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Registered>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                ConnectionRecord socket = socket("s" + i, "alice", "laptop", "node-" + (i % 4));
                ConnectionStore node = new ConnectionStore(redis, mapper);
                results.add(threads.submit(() -> {
                    start.await();
                    return node.register(registration(socket), PRESENCE_TTL, NOW, true, cap);
                }));
            }
            start.countDown();
            int registered = 0;
            for (Future<Registered> result : results) {
                if (result.get(10, TimeUnit.SECONDS) != Registered.OVER_USER_CAP) {
                    registered++;
                }
            }

            assertThat(registered, is(cap));
            assertThat(store.socketsOfUser("alice"), hasSize(cap));
            assertThat(redis.keys("ws:connection:*"), hasSize(cap));
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void updateRewritesTheRecordAndKeepsItsTtl() {
        ConnectionRecord s1 = socket("s1", "alice");
        store.register(registration(s1), PRESENCE_TTL, NOW, true);
        redis.expire("ws:connection:s1", 100);
        ConnectionRecord withAddress = new ConnectionRecord("alice", "s1", s1.roleContextId(), s1.deviceId(), s1.deviceName(),
                                                            s1.userAgent(), "192.0.2.1", s1.connectedAt(), s1.serverId());

        store.update(withAddress);

        assertThat(store.find("s1").orElseThrow().ipAddress(), is("192.0.2.1"));
        assertThat(redis.ttl("ws:connection:s1"), is(allOf(greaterThan(90L), lessThanOrEqualTo(100L))));
    }

    @Test
    void updateOfASocketThatIsGoneWritesNothing() {
        store.update(socket("s1", "alice"));

        assertThat(redis.exists("ws:connection:s1"), is(false));
    }

    @Test
    void unregisterOfTheLastSocketPublishesExactlyOneOfflineWithTheReason() throws Exception {
        ConnectionRecord s1 = socket("s1", "alice");
        store.register(registration(s1), PRESENCE_TTL, NOW, true);
        try (ChannelRecorder presence = ChannelRecorder.start(REDIS.port(), RedisKeys.PRESENCE_CHANNEL)) {
            Removal removal = store.unregister(s1, OfflineReason.DISCONNECTED, NOW.plusSeconds(5));

            List<Message> published = presence.published();
            assertThat(removal, is(Removal.WENT_OFFLINE));
            assertThat(published, hasSize(1));
            JsonNode message = mapper.readTree(published.getFirst().payload());
            assertThat(message.get("type").asText(), is("offline"));
            assertThat(message.get("userId").asText(), is("alice"));
            assertThat(message.get("reason").asText(), is("disconnected"));
            assertThat(message.get("timestamp").asText(), is("2025-03-01T10:00:05Z"));
        }
    }

    @Test
    void unregisterOfASocketThatIsNotTheLastPublishesNothing() throws Exception {
        ConnectionRecord s1 = socket("s1", "alice", "laptop", "node-a");
        store.register(registration(s1), PRESENCE_TTL, NOW, true);
        store.register(registration(socket("s2", "alice", "phone", "node-b")), PRESENCE_TTL, NOW, true);
        try (ChannelRecorder presence = ChannelRecorder.start(REDIS.port(), RedisKeys.PRESENCE_CHANNEL)) {
            Removal removal = store.unregister(s1, OfflineReason.DISCONNECTED, NOW);

            assertThat(removal, is(Removal.REMOVED));
            assertThat(presence.published(), is(empty()));
            assertThat(redis.zscore("presence:online", "alice"), is((double) NOW.toEpochMilli()));
        }
    }

    @Test
    void unregisterSilentlyRemovesTheLastSocketWithoutPublishing() throws Exception {
        ConnectionRecord s1 = socket("s1", "alice", "laptop", "node-a");
        store.register(registration(s1), PRESENCE_TTL, NOW, true);
        redis.sadd("ws:connection-chats:s1", "c1");
        redis.hset("chat:c1:users", "alice", "1");
        try (ChannelRecorder published = ChannelRecorder.start(REDIS.port(), RedisKeys.PRESENCE_CHANNEL, "gw:room:chat:c1")) {
            Removal removal = store.unregisterSilently(s1);

            assertThat(removal, is(Removal.WENT_OFFLINE));
            assertThat(published.published(), is(empty()));
        }
        assertThat(redis.zscore("presence:online", "alice"), is((Double) null));
        assertThat(redis.exists("ws:connection:s1"), is(false));
        assertThat(redis.hget("chat:c1:users", "alice"), is((String) null));
    }

    @Test
    void unregisteringTwicePublishesOnce() throws Exception {
        ConnectionRecord s1 = socket("s1", "alice");
        store.register(registration(s1), PRESENCE_TTL, NOW, true);
        try (ChannelRecorder presence = ChannelRecorder.start(REDIS.port(), RedisKeys.PRESENCE_CHANNEL)) {
            Removal first = store.unregister(s1, OfflineReason.DISCONNECTED, NOW);
            Removal second = store.unregister(s1, OfflineReason.EXPIRED, NOW);

            assertThat(first, is(Removal.WENT_OFFLINE));
            assertThat(second, is(Removal.NOT_FOUND));
            assertThat(presence.published(), hasSize(1));
        }
    }

    @Test
    void unregisterOfTheLastSocketLeavesOnlyTheNodeDirectory() {
        ConnectionRecord s1 = socket("s1", "alice", "laptop", "node-a");
        store.register(registration(s1), PRESENCE_TTL, NOW, true);

        store.unregister(s1, OfflineReason.DISCONNECTED, NOW);

        assertThat(redis.keys("*"), is(Set.of("ws:nodes", RedisKeys.EVENTS)));
    }

    @Test
    void unregisterRemovesOnlyThatSocketFromItsUsersSets() {
        ConnectionRecord s1 = socket("s1", "alice", "laptop", "node-a");
        store.register(registration(s1), PRESENCE_TTL, NOW, true);
        store.register(registration(socket("s2", "alice", "laptop", "node-a")), PRESENCE_TTL, NOW, true);

        store.unregister(s1, OfflineReason.DISCONNECTED, NOW);

        assertThat(store.socketsOfUser("alice"), is(Set.of("s2")));
        assertThat(store.socketsOfDevice("alice", "laptop"), is(Set.of("s2")));
        assertThat(store.socketsOfNode("node-a"), is(Set.of("s2")));
        assertThat(store.presenceOf("alice").keySet(), is(Set.of("s2")));
        assertThat(store.find("s1").isPresent(), is(false));
    }

    @Test
    void twoThreadsUnregisteringTheSameLastSocketPublishOneOffline() throws Exception {
        int rounds = 20;
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (ChannelRecorder presence = ChannelRecorder.start(REDIS.port(), RedisKeys.PRESENCE_CHANNEL)) {
            List<Removal> removals = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                ConnectionRecord socket = socket("s" + round, "user-" + round);
                store.register(registration(socket), PRESENCE_TTL, NOW, false);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Removal>> racers = List.of(
                        threads.submit(() -> {
                            start.await();
                            return store.unregister(socket, OfflineReason.DISCONNECTED, NOW);
                        }),
                        threads.submit(() -> {
                            start.await();
                            return store.unregister(socket, OfflineReason.EXPIRED, NOW);
                        }));
                start.countDown();
                for (Future<Removal> racer : racers) {
                    removals.add(racer.get(10, TimeUnit.SECONDS));
                }
            }

            assertThat(removals.stream().filter(r -> r == Removal.WENT_OFFLINE).count(), is((long) rounds));
            assertThat(removals.stream().filter(r -> r == Removal.NOT_FOUND).count(), is((long) rounds));
            assertThat(presence.published(), hasSize(rounds));
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void touchAllRefreshesTheTtlsOfTheSocketsKeys() {
        ConnectionRecord s1 = socket("s1", "alice", "laptop", "node-a");
        store.register(registration(s1), PRESENCE_TTL, NOW, true);
        for (String key : List.of("ws:connection:s1", "ws:user:alice:connections", "ws:user:alice:device:laptop:connections")) {
            redis.expire(key, 30);
        }
        redis.pexpire("presence:user:alice", 1_000);
        Instant later = NOW.plusSeconds(20);

        List<Registration> lost = store.touchAll(List.of(registration(s1, later)), PRESENCE_TTL, later);

        assertThat(lost, is(empty()));
        for (String key : List.of("ws:connection:s1", "ws:user:alice:connections", "ws:user:alice:device:laptop:connections")) {
            assertThat(key, redis.ttl(key), is(allOf(greaterThan(3590L), lessThanOrEqualTo(3600L))));
        }
        assertThat(redis.pttl("presence:user:alice"), is(allOf(greaterThan(50_000L), lessThanOrEqualTo(60_000L))));
    }

    @Test
    void touchAllUpdatesLastSeenInTheEntryAndTheOnlineScore() {
        ConnectionRecord s1 = socket("s1", "alice");
        store.register(registration(s1), PRESENCE_TTL, NOW, true);
        Instant later = NOW.plusSeconds(20);

        store.touchAll(List.of(registration(s1, later)), PRESENCE_TTL, later);

        assertThat(store.presenceOf("alice").get("s1").lastSeen(), is("2025-03-01T10:00:20Z"));
        assertThat(redis.zscore("presence:online", "alice"), is((double) later.toEpochMilli()));
    }

    @Test
    void touchAllReportsTheSocketsWhoseRecordIsGone() {
        ConnectionRecord s1 = socket("s1", "alice");
        ConnectionRecord s2 = socket("s2", "bob");
        store.register(registration(s1), PRESENCE_TTL, NOW, true);
        store.register(registration(s2), PRESENCE_TTL, NOW, true);
        redis.del("ws:connection:s2");

        List<Registration> lost = store.touchAll(List.of(registration(s1), registration(s2)), PRESENCE_TTL, NOW);

        assertThat(lost, contains(registration(s2)));
    }

    @Test
    void touchAllNeverBringsAUserBackOnline() throws Exception {
        ConnectionRecord s1 = socket("s1", "alice");
        store.register(registration(s1), PRESENCE_TTL, NOW, true);
        redis.zrem("presence:online", "alice");
        try (ChannelRecorder presence = ChannelRecorder.start(REDIS.port(), RedisKeys.PRESENCE_CHANNEL)) {
            List<Registration> lost = store.touchAll(List.of(registration(s1)), PRESENCE_TTL, NOW);

            assertThat(lost, contains(registration(s1)));
            assertThat(redis.zscore("presence:online", "alice"), is((Double) null));
            assertThat(presence.published(), is(empty()));
        }
    }

    @Test
    void touchAllOfNothingReportsNothing() {
        assertThat(store.touchAll(List.of(), PRESENCE_TTL, NOW), is(empty()));
    }

    @Test
    void socketCountsAreGivenPerUserInTheGivenOrder() {
        store.register(registration(socket("s1", "alice")), PRESENCE_TTL, NOW, true);
        store.register(registration(socket("s2", "alice")), PRESENCE_TTL, NOW, true);
        store.register(registration(socket("s3", "bob")), PRESENCE_TTL, NOW, true);

        assertThat(store.socketCounts(List.of("bob", "nobody", "alice")), contains(1L, 0L, 2L));
    }

    @Test
    void findAllReturnsTheRecordsThatStillExistInTheGivenOrder() {
        store.register(registration(socket("s1", "alice")), PRESENCE_TTL, NOW, true);
        store.register(registration(socket("s2", "bob")), PRESENCE_TTL, NOW, true);

        List<ConnectionRecord> found = store.findAll(List.of("s2", "gone", "s1"));

        assertThat(found, contains(socket("s2", "bob"), socket("s1", "alice")));
    }

    @Test
    void forEachPageVisitsEveryConnectionRecord() {
        List<ConnectionRecord> registered = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            registered.add(socket("s" + i, "user-" + (i % 7)));
        }
        store.registerAll(registered.stream().map(Sockets::registration).toList(), PRESENCE_TTL, NOW, false);
        List<ConnectionRecord> visited = new ArrayList<>();

        store.forEachPage(visited::addAll);

        assertThat(visited, hasSize(registered.size()));
        assertThat(Set.copyOf(visited), is(Set.copyOf(registered)));
    }

    /** Every key with its type and content, to show that a refused call wrote nothing. */
    private Map<String, String> dump() {
        Map<String, String> dump = new TreeMap<>();
        for (String key : redis.keys("*")) {
            String type = redis.type(key);
            String content = switch (type) {
                case "string" -> redis.get(key);
                case "set" -> new TreeSet<>(redis.smembers(key)).toString();
                case "hash" -> new TreeMap<>(redis.hgetAll(key)).toString();
                case "zset" -> redis.zrangeWithScores(key, 0, -1).toString();
                default -> type;
            };
            dump.put(key, type + " " + content + " ttl=" + (redis.ttl(key) > 0 ? "set" : redis.ttl(key)));
        }
        return dump;
    }
}
