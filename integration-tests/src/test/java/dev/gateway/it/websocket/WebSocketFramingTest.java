package dev.gateway.it.websocket;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gateway.it.support.GatewayCluster;
import dev.gateway.it.support.GatewayProcess;
import dev.gateway.it.support.RawWebSocket;
import dev.gateway.it.support.WireFrame;
import dev.gateway.it.support.WsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;

/**
 * PROTOCOL section 4, "WebSocket framing" (RFC 6455 section 5), on both endpoints: every client frame that breaks the
 * RFC gets a close frame with the code of the rule (1002 protocol error, 1007 invalid UTF-8, 1009 too big), the TCP
 * connection then ends, nothing that looks like an HTTP response is ever written after the {@code 101}, and the node
 * logs no stack trace for any of it. Valid closes are answered with a close frame and the connection ends.
 */
class WebSocketFramingTest {
    private static final int MAX_FRAME_BYTES = 4096;
    /** How long a connection may stay open after the server's close (it waits 1 s for the peer's close). */
    private static final Duration ENDED_WITHIN = Duration.ofSeconds(5);
    private static final Duration EVENT = Duration.ofSeconds(5);

    @RegisterExtension
    static final GatewayCluster CLUSTER = GatewayCluster.nodes("node-framing").env(Map.of("MAX_FRAME_BYTES", String.valueOf(MAX_FRAME_BYTES)));

    private static GatewayProcess node;

    @BeforeAll
    static void nameNodes() {
        node = CLUSTER.node("node-framing");
    }

    /** A rule of the RFC, the frames that break it and the close code they get. */
    record Violation(String rule, List<WireFrame> frames, int code) {
        @Override
        public String toString() {
            return rule;
        }
    }

    static Stream<Arguments> violations() {
        List<Violation> violations = new ArrayList<>(List.of(
                new Violation("a reserved data opcode", List.of(WireFrame.of(0x3, bytes("x"))), 1002),
                new Violation("a reserved control opcode", List.of(WireFrame.of(0xB, bytes("x"))), 1002),
                new Violation("RSV1 without an extension", List.of(WireFrame.text("x").rsv(4)), 1002),
                new Violation("RSV2", List.of(WireFrame.text("x").rsv(2)), 1002),
                new Violation("RSV3 on a ping", List.of(WireFrame.of(WireFrame.PING, bytes("x")).rsv(1)), 1002),
                new Violation("an unmasked client frame", List.of(WireFrame.text("x").unmasked()), 1002),
                new Violation("a ping of 126 bytes", List.of(WireFrame.of(WireFrame.PING, new byte[126])), 1002),
                new Violation("a close of 126 bytes", List.of(WireFrame.of(WireFrame.CLOSE, new byte[126])), 1002),
                new Violation("a fragmented ping", List.of(WireFrame.of(WireFrame.PING, bytes("x")).notFinal()), 1002),
                new Violation("a binary frame inside a fragmented text message",
                              List.of(WireFrame.text("{\"ev").notFinal(), WireFrame.of(WireFrame.BINARY, bytes("x"))), 1002),
                new Violation("a text frame inside a fragmented text message",
                              List.of(WireFrame.text("{\"ev").notFinal(), WireFrame.text("ent\"}")), 1002),
                new Violation("a continuation with no message", List.of(WireFrame.continuation(bytes("x"))), 1002),
                new Violation("a close payload of one byte", List.of(WireFrame.of(WireFrame.CLOSE, new byte[] {3})), 1002),
                new Violation("invalid UTF-8 in a text frame", List.of(WireFrame.of(WireFrame.TEXT, hex("c3 28"))), 1007),
                new Violation("invalid UTF-8 in a later fragment",
                              List.of(WireFrame.text("{\"event\"").notFinal(), WireFrame.continuation(hex("ff"))), 1007),
                new Violation("an encoded surrogate in text", List.of(WireFrame.of(WireFrame.TEXT, hex("ed a0 80"))), 1007),
                new Violation("a text message ending inside a character", List.of(WireFrame.of(WireFrame.TEXT, hex("e2 82"))), 1007),
                new Violation("invalid UTF-8 in a close reason", List.of(WireFrame.of(WireFrame.CLOSE, hex("03 e8 c3 28"))), 1007),
                new Violation("a frame over MAX_FRAME_BYTES", List.of(WireFrame.text("x".repeat(MAX_FRAME_BYTES + 1))), 1009),
                new Violation("fragments over MAX_FRAME_BYTES together",
                              List.of(WireFrame.text("x".repeat(3000)).notFinal(), WireFrame.continuation(bytes("y".repeat(3000)))),
                              1009)));
        for (int code : new int[] {0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65_535}) {
            violations.add(new Violation("close code " + code, List.of(WireFrame.close(code, "")), 1002));
        }
        List<Arguments> arguments = new ArrayList<>();
        for (Endpoint endpoint : Endpoint.values()) {
            violations.forEach(violation -> arguments.add(Arguments.of(endpoint, violation)));
        }
        return arguments.stream();
    }

    static Stream<Arguments> validCloseCodes() {
        List<Arguments> arguments = new ArrayList<>();
        for (Endpoint endpoint : Endpoint.values()) {
            for (int code : new int[] {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000,
                                       4999}) {
                arguments.add(Arguments.of(endpoint, code));
            }
        }
        return arguments.stream();
    }

    @AfterEach
    void noStackTraceInTheLog() {
        List<String> traces = node.output().stream().filter(line -> line.startsWith("\tat ") || line.contains("Exception:"))
                .toList();
        assertThat("the node logged a stack trace:\n" + String.join("\n", traces), traces, is(empty()));
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("violations")
    void aFrameBreakingTheRfcClosesTheConnectionWithTheRulesCode(Endpoint endpoint, Violation violation) {
        try (RawWebSocket ws = open(endpoint)) {
            violation.frames().forEach(ws::send);

            RawWebSocket.Frame close = ws.awaitClose();
            assertThat(close.toString(), close.closeCode(), is(violation.code()));
            ws.send(WireFrame.close(violation.code(), ""));
            assertThat(ws.awaitEnd(ENDED_WITHIN), lessThan(ENDED_WITHIN));
            assertThat(ws.bytesAfterUpgrade(), not(containsString("HTTP/1.1")));
        }
    }

    @ParameterizedTest(name = "on {0}")
    @EnumSource(Endpoint.class)
    void aPeerThatDoesNotAnswerTheServersCloseIsDropped(Endpoint endpoint) {
        try (RawWebSocket ws = open(endpoint)) {
            ws.send(WireFrame.of(0x3, bytes("reserved")));

            assertThat(ws.awaitClose().closeCode(), is(1002));
            assertThat(ws.awaitEnd(ENDED_WITHIN), lessThan(ENDED_WITHIN));
        }
    }

    @ParameterizedTest(name = "on {0}")
    @EnumSource(Endpoint.class)
    void framesAfterAViolationAreIgnoredUntilThePeersClose(Endpoint endpoint) {
        try (RawWebSocket ws = open(endpoint)) {
            ws.send(WireFrame.of(WireFrame.TEXT, hex("ff")));
            assertThat(ws.awaitClose().closeCode(), is(1007));

            ws.send(WireFrame.text("{\"event\":\"presence:ping\",\"ack\":1}")).send(WireFrame.of(WireFrame.PING, bytes("p")));
            ws.send(WireFrame.close(1007, ""));

            assertThat(ws.awaitEnd(ENDED_WITHIN), lessThan(ENDED_WITHIN));
            assertThat(ws.received().getLast().isClose(), is(true));
        }
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("validCloseCodes")
    void aValidCloseIsAnsweredWithTheSameCodeAndTheConnectionEnds(Endpoint endpoint, int code) {
        try (RawWebSocket ws = open(endpoint)) {
            ws.send(WireFrame.close(code, "bye \u00e9"));

            assertThat(ws.awaitClose().closeCode(), is(code));
            assertThat(ws.awaitEnd(ENDED_WITHIN), lessThan(ENDED_WITHIN));
            assertThat(ws.bytesAfterUpgrade(), not(containsString("HTTP/1.1")));
        }
    }

    @ParameterizedTest(name = "on {0}")
    @EnumSource(Endpoint.class)
    void anEmptyCloseIsAnsweredWithAnEmptyClose(Endpoint endpoint) {
        try (RawWebSocket ws = open(endpoint)) {
            ws.send(WireFrame.of(WireFrame.CLOSE, new byte[0]));

            RawWebSocket.Frame close = ws.awaitClose();
            assertThat(close.payload().length, is(0));
            assertThat(ws.awaitEnd(ENDED_WITHIN), lessThan(ENDED_WITHIN));
        }
    }

    @Test
    void aSocketClosedForAViolationEndsLikeADisconnectAndItsUserGoesOffline() {
        WsClient bob = CLUSTER.connect(node, "bob");
        bob.subscribe("carol");
        try (RawWebSocket carol = RawWebSocket.request(node, Endpoint.NATIVE.target("carol")).open()) {
            carol.nextText();
            bob.awaitEvent("presence:online", data -> data.path("userId").asText().equals("carol"), EVENT);

            carol.send(WireFrame.of(0xB, bytes("reserved")));

            assertThat(carol.awaitClose().closeCode(), is(1002));
            JsonNode offline = bob.awaitEvent("presence:offline", data -> data.path("userId").asText().equals("carol"), EVENT);
            assertThat(offline.path("reason").asText(), is("disconnected"));
            node.awaitOutput("event=disconnect user=carol .* reason=protocol-error code=1002", EVENT);
        }
    }

    private static RawWebSocket open(Endpoint endpoint) {
        RawWebSocket ws = RawWebSocket.request(node, endpoint.target("framing-user")).open();
        ws.nextText(); // the server's first frame: the session is open
        return ws;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] hex(String hex) {
        String[] parts = hex.split(" ");
        byte[] bytes = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            bytes[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return bytes;
    }
}
