package dev.gateway.it;

import java.time.Duration;
import java.util.Map;
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
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/**
 * PROTOCOL section 5: only {@code presence:ping} keeps a user online. A socket that stops pinging for the presence
 * TTL (3 s here) is closed with 4408 and its user goes offline {@code expired}.
 */
class PresenceExpiryTest {
    private static final String NODE = "node-ttl";
    private static final int TTL_SECONDS = 3;
    private static final Duration PING_EVERY = Duration.ofSeconds(1);
    private static final Duration EVENT = Duration.ofSeconds(5);

    @RegisterExtension
    static final GatewayCluster CLUSTER = GatewayCluster.onRedis();

    private final GatewayRecords records = CLUSTER.records();
    private GatewayProcess node;

    @BeforeEach
    void startNode() {
        node = CLUSTER.start(NODE, Map.of("PRESENCE_TTL_SECONDS", String.valueOf(TTL_SECONDS)));
    }

    @Test
    void connectedAnnouncesThePresenceTtl() {
        WsClient alice = CLUSTER.connect(node, "alice");

        assertThat(alice.connected().path("presenceTtlMs").asLong(), is(TTL_SECONDS * 1000L));
        assertThat(alice.connected().path("heartbeatIntervalMs").asLong(), is(1000L));
    }

    @Test
    void aSocketThatNeverPingsIsClosedWith4408AfterTheTtl() {
        long start = System.nanoTime();
        WsClient alice = CLUSTER.connect(node, "alice");

        WsClient.Close close = alice.awaitClose(Duration.ofSeconds(TTL_SECONDS + 5));

        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(close.code(), is(4408));
        assertThat("closed no earlier than the TTL", elapsedMs, greaterThanOrEqualTo(TTL_SECONDS * 1000L - 200));
    }

    @Test
    void aSocketThatStopsPingingIsClosedWith4408() {
        WsClient alice = CLUSTER.connect(node, "alice");
        for (int i = 0; i < 4; i++) {
            assertThat(alice.ping().path("success").asBoolean(), is(true));
            Poll.pause(PING_EVERY);
        }

        assertThat(alice.awaitClose(Duration.ofSeconds(TTL_SECONDS + 5)).code(), is(4408));
    }

    @Test
    void aSubscriberSeesTheUserGoOfflineExpiredWhenItStopsPinging() {
        WsClient bob = CLUSTER.connect(node, "bob").keepPinging(PING_EVERY);
        bob.subscribe("alice");
        WsClient alice = CLUSTER.connect(node, "alice");
        bob.awaitEvent("presence:online", EVENT);

        alice.awaitClose(Duration.ofSeconds(TTL_SECONDS + 5));

        JsonNode offline = bob.awaitEvent("presence:offline", EVENT);
        assertThat(offline.path("userId").asText(), is("alice"));
        assertThat(offline.path("reason").asText(), is("expired"));
        bob.assertNoEvent("presence:offline", Duration.ofSeconds(1));
    }

    @Test
    void anExpiredSocketLeavesNoRecordsBehind() {
        WsClient bob = CLUSTER.connect(node, "bob").keepPinging(PING_EVERY);
        WsClient alice = CLUSTER.connect(node, "alice");

        alice.awaitClose(Duration.ofSeconds(TTL_SECONDS + 5));

        Poll.eventually("alice's keys", () -> records.keysOfUser("alice"), is(empty()));
        Poll.eventually("connection records", records::connectionIds, is(Set.of(bob.socketId())));
        Poll.eventually("online users", records::onlineUsers, is(Set.of("bob")));
        assertThat(records.nodeSockets(NODE), is(Set.of(bob.socketId())));
    }

    @Test
    void aSocketThatKeepsPingingStaysOnlinePastTheTtl() {
        WsClient bob = CLUSTER.connect(node, "bob").keepPinging(PING_EVERY);
        bob.subscribe("alice");
        WsClient alice = CLUSTER.connect(node, "alice").keepPinging(PING_EVERY);
        bob.awaitEvent("presence:online", EVENT);

        Poll.during("alice stays connected", Duration.ofSeconds(TTL_SECONDS * 2), alice::isClosed, is(false));

        assertThat(alice.ping().path("success").asBoolean(), is(true));
        bob.assertNoEvent("presence:offline", Duration.ZERO);
        assertThat(records.onlineUsers().contains("alice"), is(true));
    }

    @Test
    void aPingRefreshesThePresenceTtlInRedis() {
        WsClient alice = CLUSTER.connect(node, "alice");
        Poll.eventually("presence hash of alice", () -> records.presence("alice").keySet(),
                        is(Set.of(alice.socketId())));
        Poll.pause(Duration.ofMillis(1500));
        long before = records.pttl(GatewayRecords.presenceKey("alice"));

        alice.ping();

        long after = Poll.eventually("PTTL of presence:user:alice after the ping",
                                     () -> records.pttl(GatewayRecords.presenceKey("alice")), greaterThan(before));
        assertThat(after, allOf(greaterThan(TTL_SECONDS * 1000L - 1000), lessThanOrEqualTo(TTL_SECONDS * 1000L)));
    }

    @Test
    void websocketPingsDoNotKeepPresenceAlive() {
        WsClient alice = CLUSTER.connect(node, "alice");
        Thread pinger = Thread.ofVirtual().start(() -> {
            while (!alice.isClosed()) {
                try {
                    alice.sendPing();
                    Thread.sleep(500);
                } catch (InterruptedException | RuntimeException e) {
                    return;
                }
            }
        });
        try {
            assertThat(alice.awaitClose(Duration.ofSeconds(TTL_SECONDS + 5)).code(), is(4408));
        } finally {
            pinger.interrupt();
        }
    }
}
