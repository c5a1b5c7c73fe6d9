package dev.gateway.it.socketio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
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
 * PROTOCOL section 8, the HTTP long-polling transport: socket.io-client 4.x with its DEFAULT options (polling first,
 * then the upgrade to a WebSocket with the same sid), and a client that only polls. The raw tests drive the Engine.IO
 * wire themselves to pin the upgrade's ordering and the expiry of a session nobody polls.
 */
class SocketIoPollingTest {
    private static final char SEPARATOR = '\u001e';
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @RegisterExtension
    static final GatewayCluster CLUSTER = GatewayCluster.onRedis();

    private static GatewayProcess node;
    private final List<SioPeer> peers = new ArrayList<>();
    private GatewayProcess polled = node; // the node the raw polling requests go to

    @BeforeAll
    static void startNode() {
        SioPeer.install();
        node = CLUSTER.start(Map.of("SOCKETIO_PING_INTERVAL_MILLIS", "500", "SOCKETIO_PING_TIMEOUT_MILLIS", "500"));
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

    /** {@code io(url, {auth: {token}})} with socket.io-client's default transports. */
    private SioPeer withDefaults(String userId) {
        SioPeer peer = peer(userId);
        peer.connect(node, Map.of("token", Tokens.forUser(userId)), Map.of("transports", "default"));
        peer.await("connect", line -> true);
        return peer;
    }

    private SioPeer pollingOnly(String userId) {
        SioPeer peer = peer(userId);
        peer.connect(node, Map.of("token", Tokens.forUser(userId)), Map.of("transports", List.of("polling")));
        peer.await("connect", line -> true);
        return peer;
    }

    private static String transport(SioPeer peer) {
        peer.send(Map.of("op", "transport"));
        return peer.await("transport", line -> true).path("name").asText();
    }

    @Test
    void aClientWithDefaultOptionsConnectsOverPollingGetsConnectedAndBulkOnlineAndUpgradesToWebSocket() {
        SioPeer alice = withDefaults("poll-alice");

        JsonNode connected = alice.awaitEvent("connected");
        alice.awaitEvent("presence:bulk-online");
        JsonNode upgrade = alice.await("upgrade", line -> true);

        assertThat(connected.path("userId").asText(), is("poll-alice"));
        List<JsonNode> events = alice.seen("event");
        assertThat(events.get(0).path("event").asText(), is("connected"));
        assertThat(events.get(1).path("event").asText(), is("presence:bulk-online"));
        assertThat(upgrade.path("transport").asText(), is("websocket"));
        assertThat(transport(alice), is("websocket"));
        Poll.pause(Duration.ofMillis(1500)); // three ping intervals on the upgraded session
        assertThat(alice.seen("disconnect"), is(empty()));
        assertThat(alice.request("presence:ping", Map.of()).path("success").asBoolean(), is(true));
    }

    @Test
    void afterTheUpgradeAcksWorkAndRoomMessagesFlowBothWaysWithANativeClient() {
        SioPeer sio = withDefaults("poll-member");
        sio.await("upgrade", line -> true);
        WsClient ws = CLUSTER.connect(node, "poll-native");

        assertThat(sio.request("chat:join", Map.of("chatId", "poll-room")).path("success").asBoolean(), is(true));
        ws.request("chat:join", Map.of("chatId", "poll-room"));
        JsonNode fromWs = ws.request("chat:send", Map.of("chatId", "poll-room", "content", "from ws"));
        JsonNode fromSio = sio.request("chat:send", Map.of("chatId", "poll-room", "content", "from socket.io"));

        JsonNode sioGot = sio.awaitEvent("chat:message", data -> data.path("content").asText().equals("from ws"));
        JsonNode wsGot = ws.awaitEvent("chat:message", data -> data.path("content").asText().equals("from socket.io"),
                                       SioPeer.TIMEOUT);
        assertThat(fromSio.path("status").asText(), is("ACCEPTED"));
        assertThat(sioGot.path("id").asText(), is(fromWs.path("messageId").asText()));
        assertThat(wsGot.path("senderId").asText(), is("poll-member"));
        assertThat(transport(sio), is("websocket"));
    }

    @Test
    void aPollingOnlyClientSendsAndReceivesAndStaysConnectedAcrossPings() {
        SioPeer sio = pollingOnly("poller");
        sio.awaitEvent("connected");
        sio.awaitEvent("presence:bulk-online");
        WsClient ws = CLUSTER.connect(node, "poller-native");

        assertThat(sio.request("chat:join", Map.of("chatId", "polling-room")).path("success").asBoolean(), is(true));
        ws.request("chat:join", Map.of("chatId", "polling-room"));
        JsonNode fromWs = ws.request("chat:send", Map.of("chatId", "polling-room", "content", "to the poller"));
        JsonNode fromSio = sio.request("chat:send", Map.of("chatId", "polling-room", "content", "from the poller"));

        JsonNode sioGot = sio.awaitEvent("chat:message", data -> data.path("content").asText().equals("to the poller"));
        ws.awaitEvent("chat:message", data -> data.path("content").asText().equals("from the poller"), SioPeer.TIMEOUT);
        assertThat(fromSio.path("status").asText(), is("ACCEPTED"));
        assertThat(sioGot.path("id").asText(), is(fromWs.path("messageId").asText()));

        Poll.pause(Duration.ofMillis(2000)); // four ping intervals, each ping taken by a GET and answered by a POST
        assertThat(sio.seen("disconnect"), is(empty()));
        assertThat(sio.seen("ping").size(), greaterThanOrEqualTo(2));
        assertThat(transport(sio), is("polling"));
        assertThat(sio.request("presence:ping", Map.of()).path("success").asBoolean(), is(true));
    }

    @Test
    void theHandshakeGetOpensASessionOfferingTheUpgradeAndAnUnknownSidIsRefused() {
        HttpResponse<String> open = get("");
        HttpResponse<String> unknown = get("&sid=00000000000000000000");

        assertThat(open.statusCode(), is(200));
        assertThat(open.headers().firstValue("content-type").orElse(""), startsWith("text/plain"));
        assertThat(open.body(), startsWith("0{\"sid\":"));
        assertThat(open.body(), containsString("\"upgrades\":[\"websocket\"],\"pingInterval\":500,\"pingTimeout\":500"));
        assertThat(unknown.statusCode(), is(400));
        assertThat(json(unknown.body()).path("code").asInt(), is(1));
        WsClient.Refusal upgrade = WsClient.to(URI.create("ws://127.0.0.1:" + node.port() + "/socket.io/"))
                .query("EIO", "4").query("transport", "websocket").query("sid", "00000000000000000000").refusal();
        assertThat(upgrade.status(), is(400));
        assertThat(upgrade.json().path("code").asInt(), is(1));
        assertThat(upgrade.json().path("message").asText(), containsString("sticky sessions"));
    }

    @Test
    void packetsQueuedWhileTheClientUpgradesGoOutOnTheWebSocketFirstAndInOrder() {
        String sid = handshake();
        post(sid, "40{\"token\":\"" + Tokens.forUser("upgrader") + "\"}");
        List<String> packets = pollUntil(sid, "42[\"presence:bulk-online\"");
        assertThat(packets.get(0), startsWith("40{\"sid\":"));
        assertThat(packets.get(1), startsWith("42[\"connected\""));
        post(sid, "420[\"chat:join\",{\"chatId\":\"upgrade-order\"}]");
        pollUntil(sid, "430[{\"success\":true");
        WsClient ws = CLUSTER.connect(node, "upgrade-sender");
        ws.request("chat:join", Map.of("chatId", "upgrade-order"));

        WsClient upgrade = CLUSTER.open(WsClient.to(URI.create("ws://127.0.0.1:" + node.port() + "/socket.io/"))
                                                 .query("EIO", "4").query("transport", "websocket").query("sid", sid)
                                                 .name("upgrade"));
        upgrade.sendRaw("2probe");
        Poll.eventually("probe answer", () -> texts(upgrade), hasItem("3probe"));
        for (int i = 0; i < 10; i++) {
            ws.send("chat:send", Map.of("chatId", "upgrade-order", "content", "m" + i), i + 1);
        }
        for (int i = 0; i < 10; i++) {
            ws.awaitAck(i + 1, SioPeer.TIMEOUT);
        }
        upgrade.sendRaw("5");

        List<String> contents = Poll.eventually("ten messages on the WebSocket", () -> messages(upgrade),
                                                org.hamcrest.Matchers.hasSize(10));
        assertThat(contents, is(List.of("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9")));
        upgrade.sendRaw("42[\"presence:ping\",{}]");
        assertThat(get("&sid=" + sid).statusCode(), is(400)); // the session has left polling
    }

    @Test
    void aPollingSessionNobodyPollsExpiresAndItsUserGoesOffline() {
        WsClient watcher = CLUSTER.connect(node, "poll-watcher");
        watcher.request("presence:subscribe", Map.of("userIds", List.of("vanishing")));
        String sid = handshake();
        post(sid, "40{\"token\":\"" + Tokens.forUser("vanishing") + "\"}");
        pollUntil(sid, "42[\"presence:bulk-online\"");
        watcher.awaitEvent("presence:online", data -> data.path("userId").asText().equals("vanishing"), SioPeer.TIMEOUT);

        // no more GETs: dropped after pingInterval + pingTimeout
        JsonNode offline = watcher.awaitEvent("presence:offline", data -> data.path("userId").asText().equals("vanishing"),
                                              SioPeer.TIMEOUT);
        assertThat(offline.path("reason").asText(), is("disconnected"));
        assertThat(get("&sid=" + sid).statusCode(), is(400));
    }

    @Test
    void aPollingSessionWhoseBufferOverflowsIsClosedAsASlowConsumer() {
        polled = CLUSTER.start(Map.of("OUTBOUND_QUEUE_FRAMES", "8", "SOCKETIO_PING_INTERVAL_MILLIS", "3000",
                                       "SOCKETIO_PING_TIMEOUT_MILLIS", "3000"));
        String sid = handshake();
        post(sid, "40{\"token\":\"" + Tokens.forUser("slow-poller") + "\"}");
        pollUntil(sid, "42[\"presence:bulk-online\"");
        post(sid, "420[\"chat:join\",{\"chatId\":\"flood\"}]");
        pollUntil(sid, "430[{\"success\":true");
        WsClient ws = CLUSTER.connect(polled, "flooder");
        ws.request("chat:join", Map.of("chatId", "flood"));

        for (int i = 0; i < 20; i++) { // no GET meanwhile: more than the 8 packets a session may hold
            ws.request("chat:send", Map.of("chatId", "flood", "content", "f" + i));
        }

        HttpResponse<String> closed = get("&sid=" + sid);
        assertThat(closed.statusCode(), is(200));
        assertThat(closed.body(), is("1")); // the buffer dropped, then the Engine.IO close: "transport close"
        assertThat(get("&sid=" + sid).statusCode(), is(400));
        ws.awaitEvent("chat:user-left", data -> data.path("userId").asText().equals("slow-poller"), SioPeer.TIMEOUT);
    }

    private String handshake() {
        HttpResponse<String> open = get("");
        assertThat(open.statusCode(), is(200));
        return json(open.body().substring(1)).path("sid").asText();
    }

    /** GETs until a packet starting with {@code prefix} arrives; returns every packet received. */
    private List<String> pollUntil(String sid, String prefix) {
        List<String> packets = new ArrayList<>();
        long deadline = System.nanoTime() + SioPeer.TIMEOUT.toNanos();
        while (packets.stream().noneMatch(packet -> packet.startsWith(prefix))) {
            assertThat("no " + prefix + " in " + packets, System.nanoTime() < deadline, is(true));
            HttpResponse<String> response = get("&sid=" + sid);
            assertThat(response.body(), response.statusCode(), is(200));
            for (String packet : response.body().split(String.valueOf(SEPARATOR))) {
                if (packet.equals("2")) {
                    post(sid, "3");
                } else if (!packet.equals("6")) {
                    packets.add(packet);
                }
            }
        }
        return packets;
    }

    private HttpResponse<String> get(String sidQuery) {
        return send(HttpRequest.newBuilder(pollingUri(sidQuery)).GET());
    }

    private void post(String sid, String body) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(pollingUri("&sid=" + sid))
                                                     .header("Content-Type", "text/plain;charset=UTF-8")
                                                     .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(response.body(), response.statusCode(), is(200));
        assertThat(response.body(), is("ok"));
    }

    private URI pollingUri(String sidQuery) {
        return URI.create("http://127.0.0.1:" + polled.port() + "/socket.io/?EIO=4&transport=polling" + sidQuery);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static List<String> texts(WsClient client) {
        return client.frames().stream().map(WsClient.Frame::text).toList();
    }

    private static List<String> messages(WsClient client) {
        return texts(client).stream()
                .filter(text -> text.startsWith("42[\"chat:message\""))
                .map(text -> json(text.substring(2)).get(1).path("content").asText())
                .toList();
    }

    private static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
