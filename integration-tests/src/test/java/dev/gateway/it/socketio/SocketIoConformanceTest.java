package dev.gateway.it.socketio;

import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gateway.it.support.GatewayCluster;
import dev.gateway.it.support.GatewayProcess;
import dev.gateway.testsupport.Tokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * PROTOCOL section 8, conformance: each point of the Engine.IO 4 and Socket.IO 5 specifications that the official
 * suites check, driven by hand over plain HTTP and a plain WebSocket ({@link RawEngineIo}). The node pings every
 * 500 ms and waits 1000 ms for the pong; a session has 2000 ms to send its CONNECT.
 */
class SocketIoConformanceTest {
    private static final int MAX_FRAME_BYTES = 4096;

    @RegisterExtension
    static final GatewayCluster CLUSTER = GatewayCluster.onRedis();

    private static GatewayProcess node;
    private final RawEngineIo wire = new RawEngineIo(node, Tokens.forUser("conformance"));

    @BeforeAll
    static void startNode() {
        node = CLUSTER.start(Map.of("SOCKETIO_PING_INTERVAL_MILLIS", "500", "SOCKETIO_PING_TIMEOUT_MILLIS", "1000",
                                     "SOCKETIO_CONNECT_TIMEOUT_MILLIS", "2000",
                                     "MAX_FRAME_BYTES", Integer.toString(MAX_FRAME_BYTES)));
    }

    // ---- heartbeat

    @Test
    void theHeartbeatStartsWithTheOpenPacketOverPolling() {
        String sid = wire.open();

        HttpResponse<String> first = wire.poll(sid);

        assertThat(first.statusCode(), is(200));
        assertThat(first.body(), is("2"));
        assertThat(wire.post(sid, "3").statusCode(), is(200));
    }

    @Test
    void theHeartbeatStartsWithTheOpenPacketOverAWebSocket() {
        RawEngineIo.Socket socket = wire.webSocket("");

        assertThat(socket.next(), startsWith("0{"));
        assertThat(socket.next(), is("2"));
        socket.abort();
    }

    @Test
    void aPollingSessionThatDoesNotAnswerPingsIsClosed() {
        String sid = wire.open();
        assertThat(wire.poll(sid).body(), is("2"));

        // no pong: the session ends after pingTimeout, and a GET then finds no session
        int status = 200;
        long deadline = System.nanoTime() + RawEngineIo.TIMEOUT.toNanos();
        while (status == 200 && System.nanoTime() < deadline) {
            status = wire.poll(sid).statusCode();
        }
        assertThat(status, is(400));
    }

    @Test
    void aConnectedWebSocketSessionThatDoesNotAnswerPingsIsClosed() {
        RawEngineIo.Socket socket = wire.webSocket("");
        socket.connect();

        // pings arrive and go unanswered from here on
        assertThat(socket.awaitClose(), is(1000));
    }

    // ---- undecodable packets

    @Test
    void anUndecodablePostIsAnswered400AndEndsTheSession() {
        String sid = wire.open();

        assertThat(wire.post(sid, "abc").statusCode(), is(400));
        assertThat(wire.poll(sid).statusCode(), is(400));
    }

    @Test
    void anUndecodableWebSocketMessageClosesTheSession() {
        RawEngineIo.Socket socket = wire.webSocket("");
        socket.next();

        socket.send("abc");

        assertThat(socket.awaitClose(), is(1008));
    }

    @Test
    void aPacketThatIsValidEngineIoButNotValidSocketIoClosesTheConnection() {
        for (String packet : List.of("4abc", "42{}", "42abc[\"presence:ping\"]", "42[]", "42[\"connect\"]", "41{}")) {
            RawEngineIo.Socket socket = wire.webSocket("");
            socket.connect();

            socket.send(packet);

            assertThat(packet, socket.awaitClose(), is(1008));
        }
    }

    @Test
    void anInvalidSocketIoPacketOverPollingIsAnswered400AndEndsTheSession() {
        String sid = wire.open();
        assertThat(wire.post(sid, "40").statusCode(), is(200));
        assertThat(wire.pollPastPings(sid), startsWith("40{"));

        assertThat(wire.post(sid, "42{}").statusCode(), is(400));
        assertThat(wire.poll(sid).statusCode(), is(400));
    }

    @Test
    void aWellFormedEventTheGatewayDoesNotTakeGetsAnErrorOrAFailedAckAndTheConnectionStays() {
        RawEngineIo.Socket socket = wire.webSocket("");
        socket.connect();

        socket.send("42[\"no:such\"]");
        assertThat(socket.nextPastPings(), startsWith("42[\"error\",{\"code\":\"UNKNOWN_EVENT\""));
        socket.send("427[\"no:such\",{}]");
        assertThat(socket.nextPastPings(), startsWith("437[{\"success\":false,\"error\":{\"code\":\"UNKNOWN_EVENT\""));
        socket.send("428[\"chat:join\",\"not an object\"]");
        assertThat(socket.nextPastPings(), startsWith("438[{\"success\":false,\"error\":{\"code\":\"VALIDATION\""));
        socket.send("429[\"presence:ping\"]");
        assertThat(socket.nextPastPings(), is("439[{\"success\":true}]"));
        assertThat(socket.isClosed(), is(false));
        socket.abort();
    }

    // ---- polling misuse

    @Test
    void aSecondConcurrentGetIsRefusedAndEndsTheSession() throws Exception {
        String sid = wire.open();
        assertThat(wire.poll(sid).body(), is("2"));
        wire.post(sid, "3");
        CompletableFuture<HttpResponse<String>> pending = wire.pollAsync(sid);
        Thread.sleep(100); // the first GET is waiting on the server (no packet is due before the next ping)

        HttpResponse<String> second = wire.poll(sid);

        assertThat(second.statusCode(), is(400));
        HttpResponse<String> first = pending.get(5, TimeUnit.SECONDS);
        assertThat(first.statusCode(), is(200));
        assertThat(first.body(), is("1"));
        assertThat(wire.poll(sid).statusCode(), is(400));
    }

    @Test
    void aSecondConcurrentPostIsRefusedAndEndsTheSession() throws Exception {
        String sid = wire.open();
        try (Socket first = new Socket("127.0.0.1", node.port())) {
            first.setSoTimeout((int) RawEngineIo.TIMEOUT.toMillis());
            OutputStream out = first.getOutputStream();
            // a POST whose chunked body has begun and not ended: it is in flight
            out.write(("POST " + wire.polling("&sid=" + sid).getRawPath() + "?" + wire.polling("&sid=" + sid).getRawQuery()
                       + " HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n4\r\n")
                              .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(300);

            HttpResponse<String> second = wire.post(sid, "3");

            assertThat(second.statusCode(), is(400));
            out.write("1\r\n0\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            first.getInputStream().read();
        }
        assertThat(wire.poll(sid).statusCode(), is(400));
    }

    @Test
    void methodsOtherThanGetPostAndOptionsGet400WithEngineIoCode2() {
        for (String method : List.of("PUT", "DELETE", "PATCH")) {
            HttpResponse<String> response = RawEngineIo.send(HttpRequest.newBuilder(wire.polling(""))
                                                                     .method(method, HttpRequest.BodyPublishers.noBody())
                                                                     .timeout(RawEngineIo.TIMEOUT).build());

            assertThat(method, response.statusCode(), is(400));
            assertThat(method, RawEngineIo.json(response.body()).path("code").asInt(), is(2));
        }
    }

    @Test
    void aClientCloseOverPostEndsThePendingGetWithANoop() throws Exception {
        String sid = wire.open();
        assertThat(wire.poll(sid).body(), is("2"));
        wire.post(sid, "3");
        CompletableFuture<HttpResponse<String>> pending = wire.pollAsync(sid);
        Thread.sleep(100);

        assertThat(wire.post(sid, "1").statusCode(), is(200));

        HttpResponse<String> get = pending.get(5, TimeUnit.SECONDS);
        assertThat(get.statusCode(), is(200));
        assertThat(get.body(), is("6"));
        assertThat(wire.poll(sid).statusCode(), is(400));
    }

    // ---- after the upgrade

    private RawEngineIo.Socket upgrade(String sid) {
        RawEngineIo.Socket socket = wire.webSocket("&sid=" + sid);
        socket.send("2probe");
        assertThat(socket.next(), is("3probe"));
        socket.send("5");
        return socket;
    }

    @Test
    void afterTheUpgradeAGetWithTheSameSidIsRefusedAndTheSessionGoesOn() {
        String sid = wire.open();
        RawEngineIo.Socket socket = upgrade(sid);

        assertThat(wire.poll(sid).statusCode(), is(400));
        assertThat(wire.post(sid, "3").statusCode(), is(400));

        socket.send("40");
        assertThat(socket.nextPastPings(), startsWith("40{"));
        socket.abort();
    }

    @Test
    void afterTheUpgradeASecondWebSocketWithTheSameSidIsClosedAndNeverTakesOver() {
        String sid = wire.open();
        RawEngineIo.Socket socket = upgrade(sid);

        RawEngineIo.Socket intruder = wire.webSocket("&sid=" + sid);
        intruder.trySend("5"); // closed by the server as soon as it opened, perhaps before this
        assertThat(intruder.awaitClose(), is(1008));

        socket.send("40");
        assertThat(socket.nextPastPings(), startsWith("40{"));
        socket.abort();
    }

    // ---- CONNECT

    @Test
    void aFirstPacketThatIsNotConnectClosesTheConnectionAtOnce() {
        RawEngineIo.Socket socket = wire.webSocket("");
        socket.next();

        socket.send("42[\"presence:ping\"]");

        assertThat(socket.awaitClose(), is(1008));
        String sid = wire.open();
        assertThat(wire.post(sid, "42[\"presence:ping\"]").statusCode(), is(400));
        assertThat(wire.poll(sid).statusCode(), is(400));
    }

    @Test
    void aSessionWithoutConnectIsClosedAfterTheConnectTimeout() {
        RawEngineIo.Socket socket = wire.webSocket("");
        socket.next();

        // pings answered, no CONNECT: the heartbeat keeps it alive, the connect timeout (2 s here) closes it
        long deadline = System.nanoTime() + RawEngineIo.TIMEOUT.toNanos();
        while (!socket.isClosed() && System.nanoTime() < deadline) {
            try {
                socket.nextPastPings();
            } catch (AssertionError closed) {
                break;
            }
        }
        assertThat(socket.awaitClose(), is(1008));
    }

    @Test
    void aDisconnectFromTheDefaultNamespaceEndsTheClientButKeepsTheEngineIoSession() {
        RawEngineIo.Socket socket = wire.webSocket("");
        socket.connect();

        socket.send("41");

        assertThat(socket.next(), is("2")); // the heartbeat goes on
        socket.send("3");
        socket.send("40");
        assertThat(socket.nextPastPings(), startsWith("40{"));
        socket.abort();
    }

    // ---- binary packets

    @Test
    void binaryPacketsAreReadWholeAndRefusedLikeAnyEventTheGatewayDoesNotTake() {
        RawEngineIo.Socket socket = wire.webSocket("");
        socket.connect();

        socket.send("452-7[\"chat:send\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
        socket.sendBinary(new byte[] {1, 2, 3});
        socket.sendBinary(new byte[] {4, 5, 6});
        assertThat(socket.nextPastPings(), startsWith("437[{\"success\":false,\"error\":{\"code\":\"BAD_FRAME\""));

        socket.send("451-[\"chat:send\",{\"_placeholder\":true,\"num\":0}]");
        socket.sendBinary(new byte[] {1});
        assertThat(socket.nextPastPings(), startsWith("42[\"error\",{\"code\":\"BAD_FRAME\""));

        socket.send("461-3[{\"_placeholder\":true,\"num\":0}]");
        socket.sendBinary(new byte[] {1});
        assertThat(socket.nextPastPings(), startsWith("433[{\"success\":false,\"error\":{\"code\":\"BAD_FRAME\""));

        socket.send("429[\"presence:ping\"]");
        assertThat(socket.nextPastPings(), is("439[{\"success\":true}]"));
        socket.abort();
    }

    // ---- maxPayload

    @Test
    void theHandshakeAnnouncesMaxFrameBytesAndALargerPostGets413AndEndsTheSession() {
        JsonNode open = wire.handshake();
        assertThat(open.path("maxPayload").asInt(), is(MAX_FRAME_BYTES));
        String sid = open.path("sid").asText();

        HttpResponse<String> tooBig = wire.post(sid, "4" + "x".repeat(MAX_FRAME_BYTES));

        assertThat(tooBig.statusCode(), is(413));
        assertThat(wire.poll(sid).statusCode(), is(400));
    }

    @Test
    void aNamespaceOtherThanTheDefaultIsRefusedWithoutClosingTheSession() {
        RawEngineIo.Socket socket = wire.webSocket("");
        socket.next();

        socket.send("40/admin,");

        assertThat(socket.nextPastPings(), is("44/admin,{\"message\":\"Invalid namespace\"}"));
        socket.send("40");
        assertThat(socket.nextPastPings(), not(containsString("error")));
        socket.abort();
    }
}
