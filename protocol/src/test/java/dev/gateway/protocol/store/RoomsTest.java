package dev.gateway.protocol.store;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.gateway.protocol.event.Json;
import dev.gateway.testsupport.Poll;
import dev.gateway.testsupport.TestRedis;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;

import static dev.gateway.protocol.store.Sockets.registration;
import static dev.gateway.protocol.store.Sockets.socket;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Publishing to rooms on a real Redis. Nodes listen to every user's room through one pattern, so the count a
 * publish to a user returns comes from the user's connection records and the nodes' heartbeat records, not from
 * PUBLISH. Every node named here is alive (its {@code ws:node} record exists) unless a test kills it.
 */
class RoomsTest {
    @RegisterExtension
    static final TestRedis REDIS = new TestRedis();

    private static final Duration PRESENCE_TTL = Duration.ofSeconds(60);
    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
    private static final String FRAME = "{\"event\":\"notice\",\"data\":{}}";

    private RedisClient redis;
    private ConnectionStore connections;

    @BeforeEach
    void setUp() {
        redis = REDIS.client();
        connections = new ConnectionStore(redis, Json.mapper());
    }

    @Test
    void aPublishToAUserCountsTheNodesHoldingItsSockets() {
        register("1", "alice", "laptop", "node-a");
        register("2", "alice", "phone", "node-b");
        register("3", "alice", "tablet", "node-b");
        register("4", "bob", "laptop", "node-c");

        assertThat(Rooms.publish(redis, Rooms.user("alice"), RoomMessage.toAll(FRAME)), is(2L));
    }

    @Test
    void aPublishToOneDeviceCountsOnlyTheNodesHoldingThatDevice() {
        register("1", "alice", "laptop", "node-a");
        register("2", "alice", "phone", "node-b");

        assertThat(Rooms.publish(redis, Rooms.user("alice"), RoomMessage.toDevice("phone", FRAME)), is(1L));
        assertThat(Rooms.publish(redis, Rooms.user("alice"), RoomMessage.toDevice("watch", FRAME)), is(0L));
    }

    @Test
    void aPublishToAUserWithoutSocketsCountsNoNode() {
        assertThat(Rooms.publish(redis, Rooms.user("nobody"), RoomMessage.toAll(FRAME)), is(0L));
    }

    @Test
    void aKilledNodeWhoseRecordsAreNotYetReapedCountsNoNode() {
        register("1", "alice", "laptop", "node-a");
        register("2", "alice", "phone", "node:b");
        redis.del(RedisKeys.node("node:b")); // its heartbeat record lapsed; its sockets' records remain

        assertThat(Rooms.publish(redis, Rooms.user("alice"), RoomMessage.toAll(FRAME)), is(1L));
        assertThat(Rooms.publish(redis, Rooms.user("alice"), RoomMessage.toDevice("phone", FRAME)), is(0L));
    }

    @Test
    void aSocketWhoseRecordIsGoneOrUnreadableCountsNoNode() {
        register("1", "alice", "laptop", "node-a");
        redis.sadd(RedisKeys.userConnections("alice"), "2", "3");
        redis.set(RedisKeys.connection("3"), "not json");

        assertThat(Rooms.publish(redis, Rooms.user("alice"), RoomMessage.toAll(FRAME)), is(1L));
    }

    @Test
    void aPublishToAUserReachesAPatternListener() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onPMessage(String pattern, String channel, String message) {
                received.add(channel + " " + message);
            }
        };
        Thread thread = Thread.ofVirtual().start(() -> {
            try (Connection connection = new Connection(new HostAndPort("127.0.0.1", REDIS.port()))) {
                listener.proceedWithPatterns(connection, RedisKeys.userRoomChannels());
            }
        });
        try {
            Poll.eventually("the pattern is subscribed", () -> (Long) redis.sendCommand(Protocol.Command.PUBSUB, "NUMPAT"), is(1L));
            register("1", "a:b", "laptop", "node-a");

            assertThat(Rooms.publish(redis, Rooms.user("a:b"), RoomMessage.toAll(FRAME)), is(1L));
            assertThat(received.poll(5, TimeUnit.SECONDS), is("gw:room:user:a%3Ab " + RoomMessage.toAll(FRAME).encode()));
        } finally {
            listener.punsubscribe();
            thread.join(5_000);
        }
    }

    @Test
    void aPublishToAnotherRoomCountsTheListenersOfItsChannel() {
        assertThat(Rooms.publish(redis, Rooms.chat("general"), RoomMessage.toAll(FRAME)), is(0L));
    }

    private void register(String socketId, String userId, String deviceId, String nodeId) {
        connections.register(registration(socket(socketId, userId, deviceId, nodeId)), PRESENCE_TTL, NOW, true);
        redis.set(RedisKeys.node(nodeId), "{}");
    }
}
