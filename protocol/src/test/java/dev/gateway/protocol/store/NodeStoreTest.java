package dev.gateway.protocol.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.gateway.protocol.event.Json;
import dev.gateway.protocol.store.NodeStore.NodeStatus;
import dev.gateway.testsupport.ChannelRecorder;
import dev.gateway.testsupport.ChannelRecorder.Message;
import dev.gateway.testsupport.Poll;
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
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

class NodeStoreTest {
    @RegisterExtension
    static final TestRedis REDIS = new TestRedis();

    private static final Duration PRESENCE_TTL = Duration.ofSeconds(60);
    private static final Duration NODE_TTL = Duration.ofSeconds(15);
    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");

    private final ObjectMapper mapper = Json.mapper();
    private RedisClient redis;
    private ConnectionStore connections;
    private NodeStore nodes;

    @BeforeEach
    void setUp() {
        redis = REDIS.client();
        connections = new ConnectionStore(redis, mapper);
        nodes = new NodeStore(redis, mapper, connections);
    }

    @Test
    void heartbeatWritesTheNodeRecordWithTheFieldsOfTheContractAndItsTtl() throws Exception {
        nodes.heartbeat(record("node-a", 3), NODE_TTL);

        JsonNode record = mapper.readTree(redis.get("ws:node:node-a"));
        List<String> fields = new ArrayList<>();
        record.fieldNames().forEachRemaining(fields::add);
        assertThat(fields, contains("nodeId", "host", "port", "startedAt", "lastHeartbeat", "connections"));
        assertThat(record.get("port").asInt(), is(8080));
        assertThat(record.get("connections").asLong(), is(3L));
        assertThat(redis.pttl("ws:node:node-a"), is(allOf(greaterThan(10_000L), lessThanOrEqualTo(15_000L))));
    }

    @Test
    void heartbeatListsTheNodeInTheDirectory() {
        nodes.heartbeat(record("node-a", 0), NODE_TTL);

        assertThat(redis.smembers("ws:nodes"), is(Set.of("node-a")));
        assertThat(nodes.isAlive("node-a"), is(true));
    }

    @Test
    void nodesListsEveryKnownNodeSortedByIdWithItsRecordAndSocketCount() {
        nodes.heartbeat(record("node-b", 1), NODE_TTL);
        nodes.heartbeat(record("node-a", 2), NODE_TTL);
        connections.register(registration(socket("s1", "alice", "laptop", "node-a")), PRESENCE_TTL, NOW, true);
        connections.register(registration(socket("s2", "bob", "laptop", "node-a")), PRESENCE_TTL, NOW, true);

        List<NodeStatus> listed = nodes.nodes();

        assertThat(listed, contains(new NodeStatus("node-a", Optional.of(record("node-a", 2)), 2),
                                    new NodeStatus("node-b", Optional.of(record("node-b", 1)), 0)));
    }

    @Test
    void nodesListsANodeWhoseKeyLapsedAsNotAlive() throws Exception {
        nodes.heartbeat(record("node-a", 1), Duration.ofMillis(100));
        connections.register(registration(socket("s1", "alice", "laptop", "node-a")), PRESENCE_TTL, NOW, true);

        Poll.until("ws:node:node-a lapsed", () -> !nodes.isAlive("node-a"));
        List<NodeStatus> listed = nodes.nodes();

        assertThat(listed, contains(new NodeStatus("node-a", Optional.empty(), 1)));
        assertThat(listed.getFirst().alive(), is(false));
    }

    @Test
    void reapRemovesADeadNodesSocketsAndReturnsThem() {
        ConnectionRecord s1 = socket("s1", "alice", "laptop", "dead");
        ConnectionRecord s2 = socket("s2", "bob", "laptop", "dead");
        connections.register(registration(s1), PRESENCE_TTL, NOW, true);
        connections.register(registration(s2), PRESENCE_TTL, NOW, true);

        List<ConnectionRecord> removed = nodes.reap("dead", NOW);

        assertThat(removed, containsInAnyOrder(s1, s2));
        assertThat(connections.find("s1").isPresent(), is(false));
        assertThat(connections.find("s2").isPresent(), is(false));
        assertThat(connections.socketsOfUser("alice"), is(empty()));
    }

    @Test
    void reapTakesUsersOfflineWithReasonExpired() throws Exception {
        connections.register(registration(socket("s1", "alice", "laptop", "dead")), PRESENCE_TTL, NOW, true);
        try (ChannelRecorder presence = ChannelRecorder.start(REDIS.port(), RedisKeys.PRESENCE_CHANNEL)) {
            nodes.reap("dead", NOW.plusSeconds(30));

            List<Message> published = presence.published();
            assertThat(published, hasSize(1));
            JsonNode offline = mapper.readTree(published.getFirst().payload());
            assertThat(offline.get("type").asText(), is("offline"));
            assertThat(offline.get("userId").asText(), is("alice"));
            assertThat(offline.get("reason").asText(), is("expired"));
            assertThat(offline.get("timestamp").asText(), is("2025-03-01T10:00:30Z"));
        }
    }

    @Test
    void reapKeepsOnlineAUserWithASocketOnALiveNode() throws Exception {
        connections.register(registration(socket("s1", "alice", "laptop", "dead")), PRESENCE_TTL, NOW, true);
        connections.register(registration(socket("s2", "alice", "phone", "live")), PRESENCE_TTL, NOW, true);
        try (ChannelRecorder presence = ChannelRecorder.start(REDIS.port(), RedisKeys.PRESENCE_CHANNEL)) {
            nodes.reap("dead", NOW);

            assertThat(presence.published(), is(empty()));
            assertThat(connections.socketsOfUser("alice"), is(Set.of("s2")));
            assertThat(redis.zscore("presence:online", "alice"), is((double) NOW.toEpochMilli()));
        }
    }

    @Test
    void reapForgetsTheDeadNode() {
        nodes.heartbeat(record("dead", 1), NODE_TTL);
        connections.register(registration(socket("s1", "alice", "laptop", "dead")), PRESENCE_TTL, NOW, true);
        redis.del("ws:node:dead");

        nodes.reap("dead", NOW);

        assertThat(nodes.nodes(), is(empty()));
        assertThat(redis.exists("ws:node:dead:connections"), is(false));
    }

    @Test
    void reapingTwiceRemovesAndPublishesOnce() throws Exception {
        connections.register(registration(socket("s1", "alice", "laptop", "dead")), PRESENCE_TTL, NOW, true);
        try (ChannelRecorder presence = ChannelRecorder.start(REDIS.port(), RedisKeys.PRESENCE_CHANNEL)) {
            List<ConnectionRecord> first = nodes.reap("dead", NOW);
            List<ConnectionRecord> second = nodes.reap("dead", NOW);

            assertThat(first, hasSize(1));
            assertThat(second, is(empty()));
            assertThat(presence.published(), hasSize(1));
        }
    }

    @Test
    void removeSocketsRemovesEverySocketOfTheNodeAndKeepsTheNode() throws Exception {
        nodes.heartbeat(record("restarted", 2), NODE_TTL);
        ConnectionRecord s1 = socket("s1", "alice", "laptop", "restarted");
        connections.register(registration(s1), PRESENCE_TTL, NOW, true);
        connections.register(registration(socket("s2", "alice", "phone", "other")), PRESENCE_TTL, NOW, true);
        connections.register(registration(socket("s3", "bob", "laptop", "restarted")), PRESENCE_TTL, NOW, true);
        try (ChannelRecorder presence = ChannelRecorder.start(REDIS.port(), RedisKeys.PRESENCE_CHANNEL)) {
            List<ConnectionRecord> removed = nodes.removeSockets("restarted", NOW);

            assertThat(removed, hasSize(2));
            assertThat(connections.socketsOfNode("restarted"), is(empty()));
            assertThat(connections.socketsOfUser("alice"), is(Set.of("s2")));
            List<Message> published = presence.published();
            assertThat(published, hasSize(1));
            assertThat(mapper.readTree(published.getFirst().payload()).get("userId").asText(), is("bob"));
            assertThat(mapper.readTree(published.getFirst().payload()).get("reason").asText(), is("expired"));
        }
        assertThat(nodes.isAlive("restarted"), is(true));
        assertThat(redis.smembers("ws:nodes"), hasItem("restarted"));
    }

    @Test
    void removeSocketsAlsoDropsEntriesWhoseRecordsLapsed() {
        connections.register(registration(socket("s1", "alice", "laptop", "restarted")), PRESENCE_TTL, NOW, true);
        redis.del("ws:connection:s1");

        assertThat(nodes.removeSockets("restarted", NOW), is(empty()));
        assertThat(redis.exists("ws:node:restarted:connections"), is(false));
    }

    @Test
    void forgetRemovesTheNodesRecordSocketSetAndDirectoryEntry() {
        nodes.heartbeat(record("node-a", 1), NODE_TTL);
        nodes.heartbeat(record("node-b", 0), NODE_TTL);
        connections.register(registration(socket("s1", "alice", "laptop", "node-a")), PRESENCE_TTL, NOW, true);

        nodes.forget("node-a");

        assertThat(redis.exists("ws:node:node-a"), is(false));
        assertThat(redis.exists("ws:node:node-a:connections"), is(false));
        assertThat(redis.smembers("ws:nodes"), is(Set.of("node-b")));
    }

    @Test
    void sendPublishesTheCommandOnTheNodesChannelInTheContractFormat() throws Exception {
        try (ChannelRecorder channel = ChannelRecorder.start(REDIS.port(), "gw:node:node-a")) {
            long receivers = nodes.send("node-a", new NodeCommand.Disconnect(List.of("s1", "s2"), "maintenance"));

            List<Message> published = channel.published();
            assertThat(receivers, is(1L));
            assertThat(published, hasSize(1));
            JsonNode command = mapper.readTree(published.getFirst().payload());
            assertThat(command.get("type").asText(), is("disconnect"));
            assertThat(command.get("socketIds").get(0).asText(), is("s1"));
            assertThat(command.get("socketIds").get(1).asText(), is("s2"));
            assertThat(command.get("reason").asText(), is("maintenance"));
        }
    }

    @Test
    void sendToANodeNobodyListensForReachesNoOne() {
        assertThat(nodes.send("gone", new NodeCommand.Disconnect(List.of("s1"), "bye")), is(0L));
    }

    @Test
    void aSentCommandReadsBackAsTheSameCommand() throws Exception {
        NodeCommand.Disconnect sent = new NodeCommand.Disconnect(List.of("s1"), "maintenance");
        try (ChannelRecorder channel = ChannelRecorder.start(REDIS.port(), "gw:node:node-a")) {
            nodes.send("node-a", sent);

            NodeCommand read = mapper.readValue(channel.published().getFirst().payload(), NodeCommand.class);
            assertThat(read, is(sent));
        }
    }

    private static NodeRecord record(String nodeId, long sockets) {
        return new NodeRecord(nodeId, "host-" + nodeId, 8080, "2025-03-01T09:00:00Z", "2025-03-01T10:00:00Z", sockets);
    }
}
