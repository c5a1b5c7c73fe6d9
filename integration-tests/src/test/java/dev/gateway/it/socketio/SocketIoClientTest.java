package dev.gateway.it.socketio;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gateway.it.support.GatewayCluster;
import dev.gateway.it.support.GatewayProcess;
import dev.gateway.it.support.WsClient;
import dev.gateway.protocol.event.Json;
import dev.gateway.testsupport.Poll;
import dev.gateway.testsupport.Tokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * PROTOCOL section 8: an unmodified socket.io-client 4.x ({@code io(url, {auth: {token}, transports: ["websocket"]})})
 * gets the events, acks and presence of sections 2 to 5, and shares rooms and presence with native clients. One node
 * serves the class, with an Engine.IO heartbeat short enough to cross pingTimeout several times within a test.
 */
class SocketIoClientTest {
    private static final Duration QUIET = Duration.ofMillis(500);

    @RegisterExtension
    static final GatewayCluster CLUSTER = GatewayCluster.onRedis();

    private static GatewayProcess node;
    private final List<SioPeer> peers = new ArrayList<>();

    @BeforeAll
    static void startNode() {
        SioPeer.install();
        node = CLUSTER.start(Map.of("SOCKETIO_PING_INTERVAL_MILLIS", "400", "SOCKETIO_PING_TIMEOUT_MILLIS", "400"));
    }

    @AfterEach
    void closePeers() {
        peers.forEach(SioPeer::close);
    }

    private SioPeer peer(String name) {
        SioPeer peer = SioPeer.start(name);
        peers.add(peer);
        return peer;
    }

    private SioPeer connected(String userId) {
        SioPeer peer = peer(userId);
        peer.connectWithToken(node, Tokens.forUser(userId));
        return peer;
    }

    @Test
    void aClientConnectingWithAuthTokenReceivesConnectedThenBulkOnlineAndItsSocketIdIsTheGatewaysSocketId() {
        SioPeer alice = peer("alice");
        String socketId = alice.connectWithToken(node, Tokens.forUser("alice"));

        JsonNode connected = alice.awaitEvent("connected");
        JsonNode bulk = alice.awaitEvent("presence:bulk-online");

        assertThat(connected.path("userId").asText(), is("alice"));
        assertThat(connected.path("socketId").asText(), is(socketId));
        assertThat(connected.path("serverId").asText(), is(node.nodeId()));
        assertThat(connected.path("heartbeatIntervalMs").asLong(), is(1000L));
        assertThat(bulk.path("users").isArray(), is(true));
        List<JsonNode> events = alice.seen("event");
        assertThat(events.get(0).path("event").asText(), is("connected"));
        assertThat(events.get(1).path("event").asText(), is("presence:bulk-online"));
    }

    @Test
    void aBadTokenGetsConnectErrorUnauthorized() {
        SioPeer mallory = peer("mallory");
        mallory.connect(node, Map.of("token", Tokens.claims("mallory").secret(Tokens.WRONG_SECRET).sign()), Map.of());

        JsonNode error = mallory.await("connect_error", line -> true);

        assertThat(error.path("message").asText(), is("unauthorized"));
        assertThat(mallory.seen("connect"), is(empty()));
    }

    @Test
    void withoutAuthTheTokenComesFromTheAccessTokenQueryAsOnWs() {
        SioPeer bob = peer("bob");
        bob.connect(node, Map.of(), Map.of("query", Map.of("access_token", Tokens.forUser("bob"))));

        bob.await("connect", line -> true);
        assertThat(bob.awaitEvent("connected").path("userId").asText(), is("bob"));
    }

    @Test
    void chatJoinAndSendWithSocketIoAcksGetTheSameAckDataAsNativeAcks() {
        SioPeer sio = connected("sio-sender");
        WsClient ws = CLUSTER.connect(node, "ws-sender");

        JsonNode sioJoin = sio.request("chat:join", Map.of("chatId", "acks"));
        JsonNode wsJoin = ws.request("chat:join", Map.of("chatId", "acks"));
        JsonNode sioSend = sio.request("chat:send", Map.of("chatId", "acks", "content", "hello", "clientMsgId", "s-1"));
        JsonNode wsSend = ws.request("chat:send", Map.of("chatId", "acks", "content", "hello", "clientMsgId", "w-1"));
        JsonNode sioRefused = sio.request("chat:send", Map.of("chatId", "not-joined", "content", "x", "clientMsgId", "s-2"));
        JsonNode wsRefused = ws.request("chat:send", Map.of("chatId", "not-joined", "content", "x", "clientMsgId", "w-2"));

        assertThat(sioJoin, is(wsJoin));
        assertThat(fieldNames(sioSend), is(fieldNames(wsSend)));
        assertThat(sioSend.path("status").asText(), is("ACCEPTED"));
        assertThat(sioSend.path("clientMsgId").asText(), is("s-1"));
        assertThat(sioRefused.path("error"), is(wsRefused.path("error")));
        assertThat(sioRefused.path("status").asText(), is("FAILED"));
        assertThat(sioRefused.path("clientMsgId").asText(), is("s-2"));
    }

    @Test
    void anEventWithoutAckThatFailsGetsAnErrorEvent() {
        SioPeer sio = connected("sio-errors");

        sio.emit("no:such-event", Map.of());

        JsonNode error = sio.awaitEvent("error");
        assertThat(error.path("code").asText(), is("UNKNOWN_EVENT"));
    }

    @Test
    void aNativeClientAndASocketIoClientInOneRoomReceiveEachOthersMessages() {
        SioPeer sio = connected("sio-member");
        WsClient ws = CLUSTER.connect(node, "ws-member");
        sio.request("chat:join", Map.of("chatId", "mixed"));
        ws.request("chat:join", Map.of("chatId", "mixed"));

        JsonNode fromSio = sio.request("chat:send", Map.of("chatId", "mixed", "content", "from socket.io"));
        JsonNode fromWs = ws.request("chat:send", Map.of("chatId", "mixed", "content", "from ws"));

        JsonNode wsGot = ws.awaitEvent("chat:message", data -> data.path("content").asText().equals("from socket.io"),
                                       SioPeer.TIMEOUT);
        JsonNode sioGot = sio.awaitEvent("chat:message", data -> data.path("content").asText().equals("from ws"));
        JsonNode sioOwn = sio.awaitEvent("chat:message", data -> data.path("content").asText().equals("from socket.io"));
        assertThat(wsGot.path("id").asText(), is(fromSio.path("messageId").asText()));
        assertThat(wsGot.path("senderId").asText(), is("sio-member"));
        assertThat(sioGot.path("id").asText(), is(fromWs.path("messageId").asText()));
        assertThat(sioGot.path("senderId").asText(), is("ws-member"));
        assertThat(sioOwn, is(wsGot));
        sio.awaitEvent("chat:user-joined", data -> data.path("userId").asText().equals("ws-member"));
    }

    @Test
    void presenceFlowsBetweenNativeAndSocketIoClientsBothWays() {
        WsClient carol = CLUSTER.connect(node, "carol");
        carol.request("presence:subscribe", Map.of("userIds", List.of("dave")));
        SioPeer dave = connected("dave");

        carol.awaitEvent("presence:online", data -> data.path("userId").asText().equals("dave"), SioPeer.TIMEOUT);
        JsonNode subscribed = dave.request("presence:subscribe", Map.of("userIds", List.of("carol", "erin")));
        assertThat(subscribed.path("online").toString(), is("[\"carol\"]"));
        WsClient erin = CLUSTER.connect(node, "erin");
        dave.awaitEvent("presence:online", data -> data.path("userId").asText().equals("erin"));
        erin.closeNormally();
        JsonNode offline = dave.awaitEvent("presence:offline", data -> data.path("userId").asText().equals("erin"));
        assertThat(offline.path("reason").asText(), is("disconnected"));
        assertThat(dave.request("presence:ping", Map.of()).path("success").asBoolean(), is(true));

        dave.disconnect();
        JsonNode daveOffline = carol.awaitEvent("presence:offline", data -> data.path("userId").asText().equals("dave"),
                                                SioPeer.TIMEOUT);
        assertThat(daveOffline.path("reason").asText(), is("disconnected"));
    }

    @Test
    void engineIoPingsKeepASocketIoClientConnectedWellPastPingTimeout() {
        SioPeer frank = connected("frank");

        Poll.pause(Duration.ofMillis(2500)); // 6 ping intervals of 400 ms, each answered within the 400 ms timeout

        assertThat(frank.seen("disconnect"), is(empty()));
        assertThat(frank.seen("ping").size(), greaterThanOrEqualTo(4));
        assertThat(frank.request("presence:ping", Map.of()).path("success").asBoolean(), is(true));
    }

    @Test
    void theWirePacketsAreEngineIo4AndSocketIo5() {
        WsClient raw = CLUSTER.open(socketIo().name("raw"));

        raw.sendRaw("40{\"token\":\"" + Tokens.forUser("grace") + "\"}");
        List<String> texts = awaitTexts(raw, 4);
        assertThat(texts.get(0), startsWith("0{\"sid\":"));
        assertThat(texts.get(0), containsString("\"upgrades\":[],\"pingInterval\":400,\"pingTimeout\":400,\"maxPayload\":65536}"));
        assertThat(texts.get(1), startsWith("40{\"sid\":\""));
        assertThat(texts.get(2), startsWith("42[\"connected\",{\"socketId\":"));
        assertThat(texts.get(3), startsWith("42[\"presence:bulk-online\",{\"users\":"));

        raw.sendRaw("427[\"chat:join\",{\"chatId\":\"wire\"}]");
        Poll.eventually("ack packet", () -> texts(raw), hasItem("437[{\"success\":true}]"));
    }

    @Test
    void aSessionThatDoesNotAnswerPingsIsDroppedAndItsUserGoesOffline() {
        WsClient watcher = CLUSTER.connect(node, "watcher");
        watcher.request("presence:subscribe", Map.of("userIds", List.of("heidi")));
        WsClient raw = CLUSTER.open(socketIo().name("silent"));
        raw.sendRaw("40{\"token\":\"" + Tokens.forUser("heidi") + "\"}");
        watcher.awaitEvent("presence:online", data -> data.path("userId").asText().equals("heidi"), SioPeer.TIMEOUT);

        raw.awaitClose(Duration.ofSeconds(5)); // never answers "2": dropped after interval + timeout

        JsonNode offline = watcher.awaitEvent("presence:offline", data -> data.path("userId").asText().equals("heidi"),
                                              SioPeer.TIMEOUT);
        assertThat(offline.path("reason").asText(), is("disconnected"));
    }

    @Test
    void anUnknownTransportAndAnotherProtocolVersionAreRefusedWithA400JsonError() {
        HttpResponse<String> flash = node.get("/socket.io/?EIO=4&transport=flashsocket");
        HttpResponse<String> oldProtocol = node.get("/socket.io/?EIO=3&transport=websocket");

        assertThat(flash.statusCode(), is(400));
        JsonNode body = json(flash.body());
        assertThat(body.path("code").asInt(), is(0));
        assertThat(body.path("message").asText(), containsString("transport=websocket"));
        assertThat(oldProtocol.statusCode(), is(400));
        assertThat(json(oldProtocol.body()).path("code").asInt(), is(5));
    }

    private static WsClient.Handshake socketIo() {
        return WsClient.to(URI.create("ws://127.0.0.1:" + node.port() + "/socket.io/")).query("EIO", "4")
                .query("transport", "websocket");
    }

    private static List<String> texts(WsClient client) {
        return client.frames().stream().map(WsClient.Frame::text).toList();
    }

    private static List<String> awaitTexts(WsClient client, int count) {
        return Poll.eventually(count + " packets", () -> texts(client), org.hamcrest.Matchers.hasSize(greaterThanOrEqualTo(count)));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
