package dev.gateway.it;

import java.time.Duration;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gateway.it.support.GatewayCluster;
import dev.gateway.it.support.GatewayProcess;
import dev.gateway.it.support.GatewayRecords;
import dev.gateway.it.support.WsClient;
import dev.gateway.testsupport.Poll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

/**
 * PROTOCOL section 1, "stop": SIGTERM stops accepting, closes every socket with 1001, removes the node's records
 * from Redis, publishes the offline events that follow, and exits 0.
 */
class GracefulShutdownTest {
    private static final Duration EVENT = Duration.ofSeconds(5);

    @RegisterExtension
    static final GatewayCluster CLUSTER = GatewayCluster.nodes("node-a", "node-b").perTest();

    private final GatewayRecords records = CLUSTER.records();
    private GatewayProcess nodeA;
    private GatewayProcess nodeB;

    @BeforeEach
    void nameNodes() {
        nodeA = CLUSTER.node("node-a");
        nodeB = CLUSTER.node("node-b");
    }

    @Test
    void sigtermClosesEverySocketWith1001AndExits0() {
        WsClient alice = CLUSTER.connect(nodeB, "alice");
        WsClient carol = CLUSTER.connect(nodeB, "carol");
        WsClient alicePhone = CLUSTER.connect(nodeB, "alice", "phone", "Pixel 8");

        int exitCode = nodeB.terminate();

        assertThat(alice.awaitClose().code(), is(1001));
        assertThat(carol.awaitClose().code(), is(1001));
        assertThat(alicePhone.awaitClose().code(), is(1001));
        assertThat(exitCode, is(0));
    }

    @Test
    void sigtermRemovesTheNodesRecords() {
        WsClient bob = CLUSTER.connect(nodeA, "bob");
        CLUSTER.connect(nodeB, "alice");
        CLUSTER.connect(nodeB, "alice", "phone", "Pixel 8");
        CLUSTER.connect(nodeB, "carol");

        nodeB.terminate();

        assertThat("right after exit, only node-a's socket is registered", records.connectionIds(),
                   is(Set.of(bob.socketId())));
        assertThat(records.keysOfUser("alice"), is(empty()));
        assertThat(records.keysOfUser("carol"), is(empty()));
        assertThat(records.onlineUsers(), is(Set.of("bob")));
        assertThat(records.exists(GatewayRecords.nodeSocketsKey("node-b")), is(false));
        assertThat(records.exists(GatewayRecords.nodeKey("node-b")), is(false));
        assertThat(records.nodeSockets("node-a"), is(Set.of(bob.socketId())));
    }

    @Test
    void subscribersOnTheOtherNodeSeeTheUsersGoOffline() {
        WsClient bob = CLUSTER.connect(nodeA, "bob");
        bob.subscribe("alice", "carol");
        CLUSTER.connect(nodeB, "alice");
        CLUSTER.connect(nodeB, "carol");
        bob.awaitEvent("presence:online", e -> e.path("userId").asText().equals("alice"), EVENT);
        bob.awaitEvent("presence:online", e -> e.path("userId").asText().equals("carol"), EVENT);

        nodeB.terminate();

        JsonNode alice = bob.awaitEvent("presence:offline", e -> e.path("userId").asText().equals("alice"), EVENT);
        JsonNode carol = bob.awaitEvent("presence:offline", e -> e.path("userId").asText().equals("carol"), EVENT);
        assertThat(alice.path("reason").asText(), is("disconnected"));
        assertThat(carol.path("reason").asText(), is("disconnected"));
        bob.assertNoEvent("presence:offline", Duration.ofSeconds(1));
    }

    @Test
    void aUserWithATabOnTheOtherNodeStaysOnline() {
        WsClient bob = CLUSTER.connect(nodeA, "bob");
        bob.subscribe("alice");
        WsClient aliceOnA = CLUSTER.connect(nodeA, "alice");
        CLUSTER.connect(nodeB, "alice");
        bob.awaitEvent("presence:online", EVENT);

        nodeB.terminate();

        bob.assertNoEvent("presence:offline", Duration.ofSeconds(1));
        assertThat(records.userSockets("alice"), is(Set.of(aliceOnA.socketId())));
        assertThat(records.onlineUsers(), is(Set.of("alice", "bob")));
    }

    @Test
    void theSurvivingNodeKeepsWorkingAfterTheOtherStops() {
        WsClient bob = CLUSTER.connect(nodeA, "bob");
        bob.subscribe("dave");
        CLUSTER.connect(nodeB, "alice");

        nodeB.terminate();
        CLUSTER.connect(nodeA, "dave");

        assertThat(bob.awaitEvent("presence:online", EVENT).path("userId").asText(), is("dave"));
        assertThat(bob.ping().path("success").asBoolean(), is(true));
        Poll.eventually("node-a heartbeat", () -> records.exists(GatewayRecords.nodeKey("node-a")), is(true));
    }
}
