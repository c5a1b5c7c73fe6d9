package dev.gateway.it.websocket;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import dev.gateway.it.support.GatewayCluster;
import dev.gateway.it.support.GatewayProcess;
import dev.gateway.it.support.RawWebSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * PROTOCOL section 4: the opening handshake is accepted only as RFC 6455 4.2.1 describes it: {@code GET},
 * {@code Connection} with the {@code Upgrade} token, {@code Upgrade: websocket} (any case), {@code Sec-WebSocket-Version:
 * 13} and a {@code Sec-WebSocket-Key} that is base64 of 16 bytes. Anything else gets 400 (426 naming version 13 for
 * another version), on both endpoints, never 404 or 500.
 */
class WebSocketHandshakeTest {
    @RegisterExtension
    static final GatewayCluster CLUSTER = GatewayCluster.nodes("node-handshake");

    private static GatewayProcess node;

    @BeforeAll
    static void nameNodes() {
        node = CLUSTER.node("node-handshake");
    }

    /** A change to a valid upgrade request, and the status it must get. */
    record Malformed(String what, UnaryOperator<RawWebSocket.Request> change, int status) {
        @Override
        public String toString() {
            return what;
        }
    }

    static Stream<Arguments> malformed() {
        List<Malformed> cases = List.of(
                new Malformed("POST", request -> request.method("POST"), 400),
                new Malformed("POST with a body", request -> request.method("POST").body("hi"), 400),
                new Malformed("PUT", request -> request.method("PUT"), 400),
                new Malformed("GET with a body", request -> request.body("hi"), 400),
                new Malformed("no Connection header", request -> request.without("Connection"), 400),
                new Malformed("Connection without the Upgrade token", request -> request.header("Connection", "keep-alive"), 400),
                new Malformed("an Upgrade other than websocket", request -> request.header("Upgrade", "h2c"), 400),
                new Malformed("no Sec-WebSocket-Version", request -> request.without("Sec-WebSocket-Version"), 400),
                new Malformed("Sec-WebSocket-Version 8", request -> request.header("Sec-WebSocket-Version", "8"), 426),
                new Malformed("no Sec-WebSocket-Key", request -> request.without("Sec-WebSocket-Key"), 400),
                new Malformed("a key that is not base64", request -> request.header("Sec-WebSocket-Key", "!!!!not-base64-at-all!!!"),
                              400),
                new Malformed("a key of 15 bytes", request -> request.header("Sec-WebSocket-Key", "AAAAAAAAAAAAAAAAAAAA"), 400),
                new Malformed("a key of 20 bytes", request -> request.header("Sec-WebSocket-Key", "AAAAAAAAAAAAAAAAAAAAAAAAAAA="),
                              400));
        List<Arguments> arguments = new ArrayList<>();
        for (Endpoint endpoint : Endpoint.values()) {
            cases.forEach(malformed -> arguments.add(Arguments.of(endpoint, malformed)));
        }
        return arguments.stream();
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("malformed")
    void aMalformedUpgradeIsRefusedWithItsStatus(Endpoint endpoint, Malformed malformed) {
        RawWebSocket.Answer answer = malformed.change().apply(RawWebSocket.request(node, endpoint.target("alice"))).answer();

        assertThat(answer.toString(), answer.status(), is(malformed.status()));
    }

    @ParameterizedTest(name = "on {0}")
    @EnumSource(Endpoint.class)
    void anotherVersionIsToldVersion13(Endpoint endpoint) {
        RawWebSocket.Answer answer = RawWebSocket.request(node, endpoint.target("alice"))
                .header("Sec-WebSocket-Version", "8")
                .answer();

        assertThat(answer.status(), is(426));
        assertThat(answer.header("Sec-WebSocket-Version").orElse(""), is("13"));
    }

    @ParameterizedTest(name = "on {0}")
    @EnumSource(Endpoint.class)
    void theUpgradeTokenMayComeAmongOthersAndInAnyCommonCase(Endpoint endpoint) {
        try (RawWebSocket ws = RawWebSocket.request(node, endpoint.target("alice"))
                .header("Connection", "keep-alive, upgrade")
                .header("Upgrade", "WebSocket")
                .open()) {
            ws.nextText();
        }
    }
}
