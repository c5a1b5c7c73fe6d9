package dev.gateway.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gateway.it.support.GatewayCluster;
import dev.gateway.it.support.GatewayProcess;
import dev.gateway.it.support.GatewayRecords;
import dev.gateway.it.support.WsClient.Refusal;
import dev.gateway.it.support.WsClient;
import dev.gateway.testsupport.Poll;
import dev.gateway.testsupport.Tokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * PROTOCOL section 4, "Caps" (version 2), on two nodes with small caps: joined chats and watched users per socket
 * (refused with {@code VALIDATION} naming the limit, the socket stays open), and live sockets per user across all
 * nodes, counted atomically at registration: beyond it the native handshake gets HTTP 429
 * {@code {"error":"too_many_connections"}} before any upgrade, the Socket.IO CONNECT gets CONNECT_ERROR
 * {@code {"message":"too many connections"}}, and nothing is written to Redis for either.
 */
class CapsTest {
    private static final int MAX_CHATS = 3;
    private static final int MAX_WATCHED = 3;
    private static final int MAX_SOCKETS = 2;
    private static final Map<String, String> CAPS = Map.of("MAX_CHATS_PER_SOCKET", Integer.toString(MAX_CHATS),
                                                           "MAX_PRESENCE_SUBSCRIPTIONS_PER_SOCKET", Integer.toString(MAX_WATCHED),
                                                           "MAX_SOCKETS_PER_USER", Integer.toString(MAX_SOCKETS));
    private static final Duration EVENT = Duration.ofSeconds(5);

    @RegisterExtension
    static final GatewayCluster CLUSTER = GatewayCluster.nodes("caps-a", "caps-b").env(CAPS).awaitingHeartbeats();

    private static GatewayProcess nodeA;
    private static GatewayProcess nodeB;

    private final GatewayRecords records = CLUSTER.records();

    @BeforeAll
    static void nameNodes() {
        nodeA = CLUSTER.node("caps-a");
        nodeB = CLUSTER.node("caps-b");
    }

    // ---------------------------------------------------------------- chats per socket

    @Test
    void aSocketJoinsUpToMaxChatsAndTheNextJoinFailsWithValidationNamingTheLimit() {
        WsClient alice = CLUSTER.connect(nodeA, "alice");
        for (int i = 0; i < MAX_CHATS; i++) {
            assertSuccess(alice.request("chat:join", Map.of("chatId", "c" + i)));
        }

        JsonNode refused = alice.request("chat:join", Map.of("chatId", "one-too-many"));

        assertValidation(refused, "MAX_CHATS_PER_SOCKET");
        assertThat(refused.toString(), refused.path("error").path("message").asText(), containsString("chatId"));
        assertThat(alice.ping().path("success").asBoolean(), is(true));
        assertThat(CLUSTER.redis().client().smembers("ws:connection-chats:" + alice.socketId()), is(Set.of("c0", "c1", "c2")));
        assertThat(CLUSTER.redis().client().exists("chat:one-too-many:users"), is(false));
    }

    @Test
    void joiningAChatTheSocketIsInAlreadySucceedsAtTheCap() {
        WsClient alice = CLUSTER.connect(nodeA, "alice");
        for (int i = 0; i < MAX_CHATS; i++) {
            assertSuccess(alice.request("chat:join", Map.of("chatId", "c" + i)));
        }

        assertSuccess(alice.request("chat:join", Map.of("chatId", "c1")));
    }

    @Test
    void afterLeavingAChatAnotherOneFits() {
        WsClient alice = CLUSTER.connect(nodeA, "alice");
        for (int i = 0; i < MAX_CHATS; i++) {
            assertSuccess(alice.request("chat:join", Map.of("chatId", "c" + i)));
        }

        assertSuccess(alice.request("chat:leave", Map.of("chatId", "c0")));

        assertSuccess(alice.request("chat:join", Map.of("chatId", "c3")));
    }

    @Test
    void theChatCapIsPerSocket() {
        WsClient tab1 = CLUSTER.connect(nodeA, "alice");
        WsClient tab2 = CLUSTER.connect(nodeB, "alice");
        for (int i = 0; i < MAX_CHATS; i++) {
            assertSuccess(tab1.request("chat:join", Map.of("chatId", "c" + i)));
        }

        assertSuccess(tab2.request("chat:join", Map.of("chatId", "c" + MAX_CHATS)));
    }

    // ---------------------------------------------------------------- watched users per socket

    @Test
    void aSocketWatchesUpToTheCapAndASubscribeBeyondItFailsWithValidationNamingTheLimitAndFollowsNoOne() {
        WsClient bob = CLUSTER.connect(nodeA, "bob");
        assertSuccess(bob.request("presence:subscribe", Map.of("userIds", List.of("u1", "u2"))));

        JsonNode refused = bob.request("presence:subscribe", Map.of("userIds", List.of("u3", "u4")));

        assertValidation(refused, "MAX_PRESENCE_SUBSCRIPTIONS_PER_SOCKET");
        assertThat(refused.toString(), refused.path("error").path("message").asText(), containsString("userIds"));
        CLUSTER.connect(nodeB, "u3");
        bob.assertNoEvent("presence:online", Duration.ofSeconds(1));
        assertSuccess(bob.request("presence:subscribe", Map.of("userIds", List.of("u3"))));
        CLUSTER.connect(nodeB, "u1");
        assertThat(bob.awaitEvent("presence:online", EVENT).path("userId").asText(), is("u1"));
    }

    @Test
    void subscribingAgainToWatchedUsersCountsThemOnce() {
        WsClient bob = CLUSTER.connect(nodeA, "bob");
        assertSuccess(bob.request("presence:subscribe", Map.of("userIds", List.of("u1", "u2", "u3"))));

        assertSuccess(bob.request("presence:subscribe", Map.of("userIds", List.of("u1", "u3"))));
    }

    @Test
    void contactsFollowedAtConnectCountTowardsTheCap() {
        CLUSTER.redis().client().sadd("presence:contacts:carol", "k1", "k2");
        WsClient carol = CLUSTER.connect(nodeA, "carol");

        assertSuccess(carol.request("presence:subscribe", Map.of("userIds", List.of("u1"))));
        assertValidation(carol.request("presence:subscribe", Map.of("userIds", List.of("u2"))),
                         "MAX_PRESENCE_SUBSCRIPTIONS_PER_SOCKET");
        assertSuccess(carol.request("presence:unsubscribe", Map.of("userIds", List.of("k1"))));
        assertSuccess(carol.request("presence:subscribe", Map.of("userIds", List.of("u2"))));
    }

    @Test
    void aSocketFollowsAtMostTheCapOfItsContactsAtConnect() {
        CLUSTER.redis().client().sadd("presence:contacts:dave", "k1", "k2", "k3", "k4", "k5");
        for (String contact : List.of("k1", "k2", "k3", "k4", "k5")) {
            CLUSTER.connect(nodeB, contact);
        }
        WsClient dave = CLUSTER.connect(nodeA, "dave");

        JsonNode bulk = dave.awaitEvent("presence:bulk-online", EVENT);

        assertThat(bulk.toString(), bulk.path("users").size(), is(MAX_WATCHED));
        assertValidation(dave.request("presence:subscribe", Map.of("userIds", List.of("u1"))),
                         "MAX_PRESENCE_SUBSCRIPTIONS_PER_SOCKET");
    }

    // ---------------------------------------------------------------- sockets per user, across nodes

    @Test
    void aHandshakeBeyondMaxSocketsPerUserOnAnyNodeGets429BeforeTheUpgrade() {
        CLUSTER.connect(nodeA, "erin");
        CLUSTER.connect(nodeB, "erin");

        Refusal onA = WsClient.to(nodeA).bearer(Tokens.forUser("erin")).refusal();
        Refusal onB = WsClient.to(nodeB).bearer(Tokens.forUser("erin")).refusal();

        for (Refusal refusal : List.of(onA, onB)) {
            assertThat(refusal.toString(), refusal.status(), is(429));
            assertThat(refusal.toString(), refusal.json().path("error").asText(), is("too_many_connections"));
        }
    }

    @Test
    void nothingIsWrittenToRedisForARefusedHandshake() {
        WsClient watcher = CLUSTER.connect(nodeB, "watcher");
        watcher.subscribe("frank");
        CLUSTER.connect(nodeA, "frank");
        CLUSTER.connect(nodeB, "frank");
        watcher.awaitEvent("presence:online", EVENT);
        Map<String, String> before = userRecords("frank");

        Refusal refusal = WsClient.to(nodeA).bearer(Tokens.forUser("frank")).device("tablet", "Tablet").refusal();

        assertThat(refusal.toString(), refusal.status(), is(429));
        assertThat(userRecords("frank"), is(before));
        assertThat(records.deviceSockets("frank", "tablet"), is(empty()));
        assertThat(records.userSockets("frank"), hasSize(MAX_SOCKETS));
        assertThat(records.connectionIds(), hasSize(MAX_SOCKETS + 1));
        watcher.assertNoEvent("presence:online", Duration.ofSeconds(1));
    }

    @Test
    void aSocketFitsAgainOnceOneOfTheUsersSocketsClosed() {
        WsClient first = CLUSTER.connect(nodeA, "grace");
        CLUSTER.connect(nodeB, "grace");
        assertThat(WsClient.to(nodeA).bearer(Tokens.forUser("grace")).refusal().status(), is(429));

        first.closeNormally();
        Poll.eventually("grace's sockets", () -> records.userSockets("grace"), hasSize(1));

        WsClient again = CLUSTER.connect(nodeA, "grace");
        assertThat(again.connected().path("userId").asText(), is("grace"));
    }

    @Test
    void theCapIsPerUser() {
        CLUSTER.connect(nodeA, "heidi");
        CLUSTER.connect(nodeB, "heidi");

        WsClient ivan = CLUSTER.connect(nodeA, "ivan");

        assertThat(ivan.connected().path("userId").asText(), is("ivan"));
    }

    @Test
    void handshakesRacingOnTwoNodesNeverExceedTheCap() throws Exception {
        int attempts = 10;
        List<Object> outcomes = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Object>> racing = new ArrayList<>();
            for (int i = 0; i < attempts; i++) {
                GatewayProcess node = i % 2 == 0 ? nodeA : nodeB;
                racing.add(threads.submit(() -> {
                    try {
                        return CLUSTER.connect(WsClient.to(node).bearer(Tokens.forUser("judy")).name("judy"));
                    } catch (AssertionError refused) {
                        return refused.getMessage();
                    }
                }));
            }
            for (Future<Object> outcome : racing) {
                outcomes.add(outcome.get(15, TimeUnit.SECONDS));
            }
        }

        List<Object> connected = outcomes.stream().filter(o -> o instanceof WsClient).toList();
        List<Object> refused = outcomes.stream().filter(o -> o instanceof String).toList();
        assertThat(outcomes.toString(), connected, hasSize(MAX_SOCKETS));
        for (Object message : refused) {
            assertThat((String) message, containsString("429"));
        }
        assertThat(records.userSockets("judy"), hasSize(MAX_SOCKETS));
        assertThat(records.presence("judy").keySet(), hasSize(MAX_SOCKETS));
    }

    @Test
    void aSocketIoConnectBeyondTheCapGetsConnectErrorTooManyConnectionsAndNothingIsWritten() {
        CLUSTER.connect(nodeA, "kate");
        CLUSTER.connect(nodeB, "kate");
        Map<String, String> before = userRecords("kate");
        WsClient raw = CLUSTER.open(WsClient.to(URI.create("ws://127.0.0.1:" + nodeA.port() + "/socket.io/"))
                                             .query("EIO", "4").query("transport", "websocket").name("kate-sio"));

        raw.sendRaw("40{\"token\":\"" + Tokens.forUser("kate") + "\"}");

        String refusal = Poll.eventually("the CONNECT answer", () -> raw.frames().stream().map(WsClient.Frame::text)
                .filter(text -> text.startsWith("4")).findFirst().orElse(""), startsWith("44"));
        assertThat(refusal, is("44{\"message\":\"too many connections\"}"));
        raw.awaitClose(EVENT);
        assertThat(userRecords("kate"), is(before));
    }

    @Test
    void aHandshakeWhoseUpgradeFailsAfterItWasAdmittedLeavesNothingBehind() throws IOException {
        String request = "GET /ws HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + nodeA.port() + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: dG9vIHNob3J0\r\n" // "too short": not 16 bytes, refused only after the listener ran
                + "Authorization: Bearer " + Tokens.forUser("leon") + "\r\n"
                + "\r\n";
        try (Socket socket = new Socket("127.0.0.1", nodeA.port())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(status, startsWith("HTTP/1.1 4"));
        }

        Poll.eventually("leon's records", () -> records.keysOfUser("leon"), is(empty()));
        assertThat(records.onlineUsers(), is(Set.of()));
        assertThat(records.connectionIds(), is(Set.of()));
        assertThat(records.nodeSockets(nodeA.nodeId()), is(empty()));
        WsClient leon = CLUSTER.connect(nodeA, "leon");
        assertThat(records.userSockets("leon"), hasItem(leon.socketId()));
    }

    /** Every key naming the user, with its content: what a refused handshake must leave as it was. */
    private Map<String, String> userRecords(String userId) {
        Map<String, String> dump = new TreeMap<>();
        for (String key : records.keysOfUser(userId)) {
            String type = CLUSTER.redis().client().type(key);
            dump.put(key, switch (type) {
                case "set" -> new TreeSet<>(CLUSTER.redis().client().smembers(key)).toString();
                case "hash" -> new TreeMap<>(CLUSTER.redis().client().hgetAll(key)).toString();
                default -> type;
            });
        }
        dump.put("connections", records.connectionIds().toString());
        dump.put("online", records.onlineUsers().toString());
        for (GatewayProcess node : List.of(nodeA, nodeB)) {
            dump.put(node.nodeId(), records.nodeSockets(node.nodeId()).toString());
        }
        return dump;
    }

    private static void assertSuccess(JsonNode ack) {
        assertThat(ack.toString(), ack.path("success").asBoolean(), is(true));
    }

    private static void assertValidation(JsonNode ack, String limit) {
        assertThat(ack.toString(), ack.path("success").asBoolean(), is(false));
        assertThat(ack.toString(), ack.path("error").path("code").asText(), is("VALIDATION"));
        assertThat(ack.toString(), ack.path("error").path("message").asText(), containsString(limit));
    }
}
