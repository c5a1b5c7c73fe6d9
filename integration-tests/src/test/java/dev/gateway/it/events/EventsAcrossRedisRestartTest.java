package dev.gateway.it.events;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.gateway.it.support.GatewayProcess;
import dev.gateway.it.support.Gateways;
import dev.gateway.it.support.RedisProcess;
import dev.gateway.it.support.WsClient;
import dev.gateway.testsupport.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

/**
 * After Redis restarts, each node registers its live sockets again silently (NodeRecovery): nobody saw those users
 * leave, so the event stream must not hear of them either. Only what really happened meanwhile is appended.
 */
class EventsAcrossRedisRestartTest {
    private RedisProcess redis;
    /** One pooled client for the whole test: its connections are made anew after the restart. */
    private RedisClient client;
    // not a GatewayCluster: each test chooses its own redis-server (with or without an AOF) and restarts it
    @RegisterExtension
    final Gateways gateways = new Gateways(() -> redis.url());

    @AfterEach
    void stopRedis() {
        if (client != null) {
            client.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void aRestartThatReloadedItsAofAppendsOnlyWhatHappenedDuringTheOutage() {
        redis = RedisProcess.server("--appendonly", "yes", "--appendfsync", "always");
        List<GatewayProcess> nodes = List.of(gateways.start("restart-a", Map.of()), gateways.start("restart-b", Map.of()));
        WsClient alice = gateways.connect(nodes.get(0), "alice").keepPinging(Duration.ofMillis(500));
        WsClient bob = gateways.connect(nodes.get(1), "bob").keepPinging(Duration.ofMillis(500));
        WsClient leaver = gateways.connect(nodes.get(1), "leaver").keepPinging(Duration.ofMillis(500));
        alice.request("chat:join", Map.of("chatId", "c1"));
        bob.request("chat:join", Map.of("chatId", "c1"));
        client = redis.client();
        int before = EventStreamTest.events(client).size();

        redis.kill();
        Poll.pause(Duration.ofMillis(500));
        leaver.closeNormally();
        Poll.pause(Duration.ofMillis(500));
        redis.restart();
        Poll.eventually("leaver offline after the restart", () -> client.zscore("presence:online", "leaver") == null,
                        is(true), Duration.ofSeconds(15));
        Poll.eventually("every live user online again", () -> client.zrange("presence:online", 0, -1),
                        hasItems("alice", "bob"), Duration.ofSeconds(10));
        Poll.pause(Duration.ofSeconds(3)); // the nodes' grace after a restart, and a few ping flushes

        List<String> after = EventStreamTest.events(client).stream().skip(before).map(EventStreamTest.Event::summary)
                .toList();
        assertThat(after, contains("socket.closed leaver " + leaver.socketId() + " 1000 client-closed",
                                   "user.offline leaver disconnected"));
        assertThat(alice.isClosed() || bob.isClosed(), is(false));
    }

    @Test
    void aRestartThatLostEveryKeyAppendsNothingForTheSocketsThatStayed() {
        redis = RedisProcess.server();
        List<GatewayProcess> nodes = List.of(gateways.start("empty-a", Map.of()), gateways.start("empty-b", Map.of()));
        WsClient alice = gateways.connect(nodes.get(0), "alice").keepPinging(Duration.ofMillis(500));
        WsClient bob = gateways.connect(nodes.get(1), "bob").keepPinging(Duration.ofMillis(500));
        alice.request("chat:join", Map.of("chatId", "c1"));
        bob.request("chat:join", Map.of("chatId", "c1"));
        client = redis.client();

        redis.kill();
        Poll.pause(Duration.ofMillis(500));
        redis.restart();
        Poll.eventually("every live user online again", () -> client.zrange("presence:online", 0, -1),
                        hasItems("alice", "bob"), Duration.ofSeconds(15));
        Poll.eventually("alice's chat joined again", () -> client.smembers("ws:connection-chats:" + alice.socketId()),
                        is(java.util.Set.of("c1")), Duration.ofSeconds(10));
        Poll.pause(Duration.ofSeconds(3)); // the nodes' grace after a restart, and a few ping flushes

        assertThat(EventStreamTest.events(client), is(empty()));
        WsClient carol = gateways.connect(nodes.get(0), "carol");
        Poll.eventually("carol's entries", () -> EventStreamTest.events(client).stream()
                .map(EventStreamTest.Event::summary).toList(), contains("socket.opened carol " + carol.socketId(), "user.online carol"));
    }
}
