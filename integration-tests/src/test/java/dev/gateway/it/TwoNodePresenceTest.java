package dev.gateway.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

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
 * Two gateway processes on one Redis (PROTOCOL sections 5 and 6): presence crosses nodes through pub/sub, and a
 * node killed with {@code kill -9} is cleaned up by the survivor once its {@code ws:node} key lapses (3 s here).
 */
class TwoNodePresenceTest {
    private static final Duration EVENT = Duration.ofSeconds(5);
    /** NODE_TTL_SECONDS (3) for the key to lapse, plus the survivor's check interval and slack. */
    private static final Duration DEAD_NODE_NOTICED = Duration.ofSeconds(10);
    private static final Duration QUIET = Duration.ofSeconds(1);

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
    void aSubscriberOnOneNodeSeesAUserOnTheOtherNodeComeAndGo() {
        WsClient bob = CLUSTER.connect(nodeA, "bob");
        bob.subscribe("alice");

        WsClient alice = CLUSTER.connect(nodeB, "alice");
        JsonNode online = bob.awaitEvent("presence:online", EVENT);
        alice.closeNormally();
        JsonNode offline = bob.awaitEvent("presence:offline", EVENT);

        assertThat(online.path("userId").asText(), is("alice"));
        assertThat(offline.path("userId").asText(), is("alice"));
        assertThat(offline.path("reason").asText(), is("disconnected"));
    }

    @Test
    void aUserWithTabsOnBothNodesIsOnlineOnceAndOfflineOnceAfterTheLastTab() {
        WsClient bob = CLUSTER.connect(nodeA, "bob");
        bob.subscribe("alice");
        WsClient aliceOnA = CLUSTER.connect(nodeA, "alice");
        WsClient aliceOnB = CLUSTER.connect(nodeB, "alice");
        bob.awaitEvent("presence:online", EVENT);

        aliceOnA.closeNormally();
        Poll.eventually("alice's sockets", () -> records.userSockets("alice"), is(Set.of(aliceOnB.socketId())));
        bob.assertNoEvent("presence:offline", QUIET);
        aliceOnB.closeNormally();

        bob.awaitEvent("presence:offline", EVENT);
        bob.assertNoEvent("presence:online", QUIET);
        bob.assertNoEvent("presence:offline", Duration.ZERO);
    }

    @Test
    void eachNodeKeepsItsOwnSocketSet() {
        WsClient alice = CLUSTER.connect(nodeA, "alice");
        WsClient carol = CLUSTER.connect(nodeB, "carol");

        Poll.eventually("node-a's sockets", () -> records.nodeSockets("node-a"), is(Set.of(alice.socketId())));
        Poll.eventually("node-b's sockets", () -> records.nodeSockets("node-b"), is(Set.of(carol.socketId())));
        assertThat(records.connection(carol.socketId()).orElseThrow().path("serverId").asText(), is("node-b"));
        assertThat(carol.connected().path("serverId").asText(), is("node-b"));
    }

    @Test
    void bulkOnlineListsContactsThatAreOnlineOnTheOtherNode() {
        CLUSTER.connect(nodeB, "alice");
        CLUSTER.redis().client().sadd("presence:contacts:bob", "alice", "carol");

        WsClient bob = CLUSTER.connect(nodeA, "bob");

        JsonNode bulk = bob.awaitEvent("presence:bulk-online", EVENT);
        assertThat(bulk.path("users").size(), is(1));
        assertThat(bulk.path("users").get(0).asText(), is("alice"));
    }

    @Test
    void killingANodeMakesItsUsersGoOfflineExpired() {
        WsClient bob = CLUSTER.connect(nodeA, "bob");
        bob.subscribe("alice", "carol");
        CLUSTER.connect(nodeB, "alice");
        CLUSTER.connect(nodeB, "carol");
        bob.awaitEvent("presence:online", e -> e.path("userId").asText().equals("alice"), EVENT);
        bob.awaitEvent("presence:online", e -> e.path("userId").asText().equals("carol"), EVENT);

        nodeB.kill();

        JsonNode aliceOffline = bob.awaitEvent("presence:offline", e -> e.path("userId").asText().equals("alice"),
                                               DEAD_NODE_NOTICED);
        JsonNode carolOffline = bob.awaitEvent("presence:offline", e -> e.path("userId").asText().equals("carol"),
                                               DEAD_NODE_NOTICED);
        assertThat(aliceOffline.path("reason").asText(), is("expired"));
        assertThat(carolOffline.path("reason").asText(), is("expired"));
        bob.assertNoEvent("presence:offline", QUIET);
    }

    @Test
    void killingANodeRemovesItsRecords() {
        WsClient bob = CLUSTER.connect(nodeA, "bob");
        WsClient alice = CLUSTER.connect(nodeB, "alice", "phone", "Pixel 8");
        Poll.eventually("node-b's sockets", () -> records.nodeSockets("node-b"), is(Set.of(alice.socketId())));

        nodeB.kill();

        Poll.eventually("connection records after node-b died", records::connectionIds, is(Set.of(bob.socketId())),
                        DEAD_NODE_NOTICED);
        Poll.eventually("alice's keys", () -> records.keysOfUser("alice"), is(empty()));
        Poll.eventually("online users", records::onlineUsers, is(Set.of("bob")));
        Poll.eventually("ws:node:node-b:connections", () -> records.exists(GatewayRecords.nodeSocketsKey("node-b")),
                        is(false));
        assertThat(records.exists(GatewayRecords.nodeKey("node-b")), is(false));
        assertThat(records.nodeSockets("node-a"), is(Set.of(bob.socketId())));
        assertThat(records.exists(GatewayRecords.nodeKey("node-a")), is(true));
    }

    @Test
    void aUserWithASocketOnTheSurvivingNodeStaysOnlineWhenTheOtherNodeDies() {
        WsClient bob = CLUSTER.connect(nodeA, "bob");
        bob.subscribe("alice");
        WsClient aliceOnA = CLUSTER.connect(nodeA, "alice");
        CLUSTER.connect(nodeB, "alice");
        bob.awaitEvent("presence:online", EVENT);

        nodeB.kill();

        Poll.eventually("alice's sockets after node-b died", () -> records.userSockets("alice"),
                        is(Set.of(aliceOnA.socketId())), DEAD_NODE_NOTICED);
        bob.assertNoEvent("presence:offline", QUIET);
        assertThat(records.onlineUsers().contains("alice"), is(true));
        assertThat(aliceOnA.ping().path("success").asBoolean(), is(true));
    }

    @Test
    void twoSurvivorsNoticingTheSameDeadNodePublishOneOfflinePerUser() {
        GatewayProcess nodeC = CLUSTER.start("node-c", Map.of());
        WsClient bob = CLUSTER.connect(nodeA, "bob");
        WsClient dave = CLUSTER.connect(nodeC, "dave");
        bob.subscribe("alice");
        dave.subscribe("alice");
        CLUSTER.connect(nodeB, "alice");
        bob.awaitEvent("presence:online", EVENT);
        dave.awaitEvent("presence:online", EVENT);

        nodeB.kill();

        assertThat(bob.awaitEvent("presence:offline", DEAD_NODE_NOTICED).path("reason").asText(), is("expired"));
        assertThat(dave.awaitEvent("presence:offline", DEAD_NODE_NOTICED).path("reason").asText(), is("expired"));
        bob.assertNoEvent("presence:offline", Duration.ofSeconds(2));
        dave.assertNoEvent("presence:offline", Duration.ZERO);
    }

    @Test
    void tabsOpeningAndClosingAtOnceOnBothNodesAnnounceOneOnlineAndOneOfflinePerUser() throws Exception {
        List<String> users = List.of("u1", "u2", "u3", "u4", "u5", "u6");
        WsClient bob = CLUSTER.connect(nodeA, "bob");
        bob.subscribe(users.toArray(String[]::new));

        List<WsClient> tabs = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<WsClient>> opening = new ArrayList<>();
            for (String user : users) {
                opening.add(pool.submit(() -> CLUSTER.connect(nodeA, user)));
                opening.add(pool.submit(() -> CLUSTER.connect(nodeB, user)));
            }
            for (Future<WsClient> tab : opening) {
                tabs.add(tab.get(10, TimeUnit.SECONDS));
            }
        }
        for (String user : users) {
            bob.awaitEvent("presence:online", e -> e.path("userId").asText().equals(user), EVENT);
        }
        bob.assertNoEvent("presence:online", QUIET);

        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<WsClient.Close>> closing = new ArrayList<>();
            for (WsClient tab : tabs) {
                closing.add(pool.submit(tab::closeNormally));
            }
            for (Future<WsClient.Close> close : closing) {
                close.get(10, TimeUnit.SECONDS);
            }
        }
        for (String user : users) {
            bob.awaitEvent("presence:offline", e -> e.path("userId").asText().equals(user), EVENT);
        }
        bob.assertNoEvent("presence:offline", QUIET);
        assertThat(records.onlineUsers(), is(Set.of("bob")));
    }
}
