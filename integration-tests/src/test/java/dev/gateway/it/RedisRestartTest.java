package dev.gateway.it;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gateway.it.support.GatewayCluster;
import dev.gateway.it.support.GatewayCtl;
import dev.gateway.it.support.GatewayProcess;
import dev.gateway.it.support.GatewayRecords;
import dev.gateway.it.support.WsClient;
import dev.gateway.testsupport.Poll;
import dev.gateway.testsupport.Tokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Redis stopped and started again (same port, empty) under a running node (PROTOCOL section 2 and issue 2, "Redis
 * faults"): health goes 503 and back to 200, new connections get 503 meanwhile, open sockets stay open, and once
 * Redis is back the node registers its live sockets again and presence flows again.
 */
class RedisRestartTest {
    private static final String NODE = "node-r";
    private static final Duration EVENT = Duration.ofSeconds(5);

    @RegisterExtension
    static final GatewayCluster CLUSTER = GatewayCluster.onRedis();

    private final GatewayRecords records = CLUSTER.records();
    private GatewayProcess node;

    @BeforeEach
    void startNode() {
        node = CLUSTER.start(NODE, Map.of());
    }

    @Test
    void healthIs200WhileRedisAnswers() {
        assertThat(node.health(), is(200));
    }

    @Test
    void healthGoes503WhileRedisIsDownAnd200AfterItReturns() {
        CLUSTER.redis().stop();
        Poll.eventually("health while Redis is down", node::health, is(503));

        CLUSTER.redis().start();

        Poll.eventually("health after Redis returned", node::health, is(200));
    }

    @Test
    void newConnectionsAreRefusedWith503WhileRedisIsDown() {
        CLUSTER.redis().stop();
        Poll.eventually("health while Redis is down", node::health, is(503));

        WsClient.Refusal refusal = WsClient.to(node).bearer(Tokens.forUser("alice")).refusal();

        assertThat(refusal.toString(), refusal.status(), is(503));
        assertThat(refusal.toString(), refusal.json().path("error").asText(), is("unavailable"));
    }

    @Test
    void newConnectionsAreAcceptedAgainAfterRedisReturns() {
        CLUSTER.redis().stop();
        Poll.eventually("health while Redis is down", node::health, is(503));
        CLUSTER.redis().start();
        Poll.eventually("health after Redis returned", node::health, is(200));

        WsClient alice = CLUSTER.connect(node, "alice");

        Poll.eventually("alice's connection record", () -> records.connectionIds(), is(Set.of(alice.socketId())));
    }

    @Test
    void openSocketsStayOpenWhileRedisIsDown() {
        WsClient alice = CLUSTER.connect(node, "alice").keepPinging(Duration.ofSeconds(1));
        WsClient bob = CLUSTER.connect(node, "bob").keepPinging(Duration.ofSeconds(1));

        CLUSTER.redis().stop();
        Poll.eventually("health while Redis is down", node::health, is(503));
        Poll.during("sockets stay open while Redis is down", Duration.ofSeconds(3),
                    () -> alice.isClosed() || bob.isClosed(), is(false));
        CLUSTER.redis().start();
        Poll.eventually("health after Redis returned", node::health, is(200));

        Poll.during("sockets stay open after Redis returned", Duration.ofSeconds(1),
                    () -> alice.isClosed() || bob.isClosed(), is(false));
        assertThat(alice.ping().path("success").asBoolean(), is(true));
        assertThat(bob.ping().path("success").asBoolean(), is(true));
    }

    @Test
    void liveSocketsAreRegisteredAgainAfterRedisReturnsEmpty() {
        WsClient alice = CLUSTER.connect(node, "alice", "phone", "Pixel 8");
        WsClient bob = CLUSTER.connect(node, "bob");
        Poll.eventually("registered sockets", records::connectionIds, is(Set.of(alice.socketId(), bob.socketId())));

        CLUSTER.redis().stop();
        Poll.eventually("health while Redis is down", node::health, is(503));
        CLUSTER.redis().start();

        Poll.eventually("registered sockets after the restart", records::connectionIds,
                        is(Set.of(alice.socketId(), bob.socketId())));
        Poll.eventually("node-r's socket set", () -> records.nodeSockets(NODE),
                        is(Set.of(alice.socketId(), bob.socketId())));
        Poll.eventually("alice's sockets", () -> records.userSockets("alice"), is(Set.of(alice.socketId())));
        Poll.eventually("alice's phone", () -> records.deviceSockets("alice", "phone"), is(Set.of(alice.socketId())));
        Poll.eventually("alice's presence", () -> records.presence("alice").keySet(), is(Set.of(alice.socketId())));
        Poll.eventually("online users", records::onlineUsers, is(Set.of("alice", "bob")));
        Poll.eventually("node heartbeat", () -> records.exists(GatewayRecords.nodeKey(NODE)), is(true));
        JsonNode record = records.connection(alice.socketId()).orElseThrow();
        assertThat(record.path("userId").asText(), is("alice"));
        assertThat(record.path("deviceId").asText(), is("phone"));
        assertThat(record.path("deviceName").asText(), is("Pixel 8"));
        assertThat(record.path("serverId").asText(), is(NODE));
        assertThat(alice.isClosed(), is(false));
        assertThat(alice.ping().path("success").asBoolean(), is(true));
    }

    @Test
    void presenceEventsFlowAgainAfterRedisReturns() {
        WsClient bob = CLUSTER.connect(node, "bob").keepPinging(Duration.ofSeconds(1));
        bob.subscribe("carol");

        CLUSTER.redis().stop();
        Poll.eventually("health while Redis is down", node::health, is(503));
        CLUSTER.redis().start();
        Poll.eventually("health after Redis returned", node::health, is(200));
        Poll.eventually("bob registered again", records::onlineUsers, is(Set.of("bob")));
        awaitSubscribed(NODE);
        WsClient carol = CLUSTER.connect(node, "carol");

        assertThat(bob.awaitEvent("presence:online", EVENT).path("userId").asText(), is("carol"));
        carol.closeNormally();
        assertThat(bob.awaitEvent("presence:offline", EVENT).path("reason").asText(), is("disconnected"));
    }

    @Test
    void presenceEventsFromAnotherNodeFlowAgainAfterRedisReturns() {
        GatewayProcess other = CLUSTER.start("node-s", Map.of());
        WsClient bob = CLUSTER.connect(node, "bob").keepPinging(Duration.ofSeconds(1));
        bob.subscribe("carol");

        CLUSTER.redis().stop();
        Poll.eventually("health while Redis is down", node::health, is(503));
        CLUSTER.redis().start();
        Poll.eventually("health after Redis returned", node::health, is(200));
        Poll.eventually("health of the other node after Redis returned", other::health, is(200));
        Poll.eventually("bob registered again", records::onlineUsers, is(Set.of("bob")));
        awaitSubscribed(NODE);
        awaitSubscribed("node-s");
        CLUSTER.connect(other, "carol");

        assertThat(bob.awaitEvent("presence:online", EVENT).path("userId").asText(), is("carol"));
    }

    @Test
    void eventsForAUserArriveAgainAfterRedisReturns() {
        WsClient alice = CLUSTER.connect(node, "alice").keepPinging(Duration.ofSeconds(1));

        CLUSTER.redis().stop();
        Poll.eventually("health while Redis is down", node::health, is(503));
        CLUSTER.redis().start();
        Poll.eventually("alice registered again", records::onlineUsers, is(Set.of("alice")));
        Poll.eventually("the node listens to users' rooms again", records::patternSubscribers, is(1L));
        GatewayCtl.Result emit = GatewayCtl.jar(CLUSTER.redis()).run("emit", "--user", "alice", "--event", "notice");

        assertThat(emit.toString(), emit.exitCode(), is(0));
        alice.awaitEvent("notice", EVENT);
    }

    /** Pub/sub is fire and forget: wait until the node's subscriber is back (it listens on gw:node:{nodeId}). */
    private void awaitSubscribed(String nodeId) {
        Poll.eventually(nodeId + " subscribed again to its command channel",
                        () -> records.subscribers("gw:node:" + nodeId), is(1L));
    }
}
