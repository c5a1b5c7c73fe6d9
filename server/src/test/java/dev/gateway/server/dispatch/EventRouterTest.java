package dev.gateway.server.dispatch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.gateway.protocol.event.ClientEvent;
import dev.gateway.protocol.event.ClientEvent.ChatSend;
import dev.gateway.protocol.event.ClientEvent.ChatTyping;
import dev.gateway.protocol.event.ClientEvent.PresencePing;
import dev.gateway.protocol.event.ErrorCode;
import dev.gateway.protocol.event.FrameCodec;
import dev.gateway.protocol.event.FrameCodec.BadFrameException;
import dev.gateway.protocol.event.InboundFrame;
import dev.gateway.protocol.event.Json;
import dev.gateway.protocol.event.ProtocolException;
import dev.gateway.server.client.Client;
import dev.gateway.server.client.ClientHub;
import dev.gateway.server.client.DisconnectReason;
import dev.gateway.server.client.FakeTransport;
import dev.gateway.server.client.NodeFixture;
import dev.gateway.server.observe.GatewayMetrics;

import io.helidon.metrics.api.Metrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/**
 * What the router answers to each client message: the handler registered for the decoded event's class and its
 * ack, and for every refusal (malformed frame, unknown event, validation, a handler's refusal or failure, binary,
 * rate limit) the contract's error reply, an ack failure when the frame carried an ack id and an {@code error} event
 * otherwise, with the socket left open. Only the rate limit's persistence closes it (4429).
 * <p>
 * One node on an embedded Redis ({@link NodeFixture}) with a rate limit of 1 frame a second (bursts of 2, so the
 * tests that are not about it send at most two frames a second); the clock only moves when a test moves it.
 */
class EventRouterTest {
    private static final ObjectMapper JSON = Json.mapper();
    private static final String SOCKET = "1000000000000000001";

    private final FakeTransport transport = new FakeTransport();
    private final List<ClientEvent> handled = new ArrayList<>();
    private NodeFixture node;
    private EventRouter router;
    private Client client;
    private int opening;

    @BeforeEach
    void openClient() throws Exception {
        node = new NodeFixture(Map.of("RATE_LIMIT_PER_SECOND", "1"));
        router = new EventRouter(FrameCodec.create(), new GatewayMetrics(Metrics.globalRegistry(), new ClientHub()),
                                 node.clock, node.lifecycle);
        client = node.open(SOCKET, "alice", transport);
        opening = transport.written().size(); // connected, presence:bulk-online
    }

    @AfterEach
    void stopNode() {
        node.close();
    }

    @Test
    void aDecodedEventGoesToTheHandlerOfItsClassWhoseFieldsTheAckCarries() throws Exception {
        List<Client> clients = new ArrayList<>();
        router.on(ChatTyping.class, (c, typing) -> {
            clients.add(c);
            handled.add(typing);
            return Map.of("seen", 3);
        });

        router.onText(client, "{\"event\":\"chat:typing\",\"data\":{\"chatId\":\"c1\",\"isTyping\":true},\"ack\":7}");

        assertThat(handled, contains(new ChatTyping("c1", true)));
        assertThat(clients, contains(client));
        assertThat(replies(), contains(json("{\"event\":\"ack\",\"ack\":7,\"data\":{\"success\":true,\"seen\":3}}")));
    }

    @Test
    void eachEventReachesOnlyTheHandlerRegisteredForItsClass() {
        List<String> calls = new ArrayList<>();
        router.on(ChatTyping.class, (c, typing) -> {
            calls.add("typing");
            return Map.of();
        });
        router.on(PresencePing.class, (c, ping) -> {
            calls.add("ping");
            return Map.of();
        });

        router.onText(client, "{\"event\":\"presence:ping\"}");

        assertThat(calls, contains("ping"));
    }

    @Test
    void anEventWithoutAnAckIdIsHandledAndAnsweredWithNothing() {
        router.on(PresencePing.class, recording());

        router.onText(client, "{\"event\":\"presence:ping\",\"data\":null}");

        assertThat(handled, contains(new PresencePing()));
        assertThat(replies(), is(empty()));
    }

    @Test
    void aFrameOfAnotherWireFormatIsHandledAsANativeOneIs() {
        router.on(ChatTyping.class, recording());

        router.onFrame(client, new InboundFrame("chat:typing", json("{\"chatId\":\"c1\",\"isTyping\":false}"), OptionalLong.of(2)));

        assertThat(handled, contains(new ChatTyping("c1", false)));
        assertThat(replies(), contains(json("{\"event\":\"ack\",\"ack\":2,\"data\":{\"success\":true}}")));
    }

    @Test
    void anUnknownEventIsRefusedWithUnknownEventInItsAck() {
        router.onText(client, "{\"event\":\"chat:shout\",\"data\":{},\"ack\":4}");

        assertThat(replies(), contains(ackFailure(4, ErrorCode.UNKNOWN_EVENT, "unknown event chat:shout")));
        assertOpen();
    }

    @Test
    void anUnknownEventWithoutAnAckIdIsAnsweredWithAnErrorEvent() {
        router.onText(client, "{\"event\":\"chat:shout\"}");

        assertThat(replies(), contains(error(ErrorCode.UNKNOWN_EVENT, "unknown event chat:shout")));
        assertOpen();
    }

    @Test
    void aKnownEventWithNoHandlerRegisteredIsAnUnknownEvent() {
        router.on(ChatTyping.class, recording());

        router.onText(client, "{\"event\":\"presence:ping\",\"ack\":1}");

        assertThat(handled, is(empty()));
        assertThat(replies(), contains(ackFailure(1, ErrorCode.UNKNOWN_EVENT, "unknown event presence:ping")));
    }

    @Test
    void theNameOfAnUnknownEventIsCutAfter64CharactersInTheReply() {
        String name = "x".repeat(65);

        router.onText(client, "{\"event\":\"" + name + "\"}");

        assertThat(replies(), contains(error(ErrorCode.UNKNOWN_EVENT, "unknown event " + "x".repeat(64) + "...")));
    }

    @Test
    void aMessageThatIsNotJsonIsABadFrame() {
        router.onText(client, "{not json");

        assertThat(replies(), contains(error(ErrorCode.BAD_FRAME, "frame is not valid JSON")));
        assertOpen();
    }

    @Test
    void aFrameWithoutAnEventIsABadFrameAnsweredInTheAckItAskedFor() {
        router.onText(client, "{\"data\":{},\"ack\":9}");

        assertThat(replies(), contains(ackFailure(9, ErrorCode.BAD_FRAME, "frame must have a non-empty string field event")));
        assertOpen();
    }

    @Test
    void aFrameWithAnUnusableAckIdIsAnsweredWithAnErrorEvent() {
        router.onText(client, "{\"event\":\"presence:ping\",\"ack\":-1}");

        assertThat(replies(), contains(error(ErrorCode.BAD_FRAME, "ack must be a non-negative integer")));
    }

    @Test
    void dataThatIsNotAnObjectFailsValidation() {
        router.on(PresencePing.class, recording());

        router.onText(client, "{\"event\":\"presence:ping\",\"data\":[1],\"ack\":3}");

        assertThat(handled, is(empty()));
        assertThat(replies(), contains(ackFailure(3, ErrorCode.VALIDATION, "data must be an object")));
    }

    @Test
    void aBadFrameAnotherWireFormatCouldNotDecodeIsAnsweredAsANativeOne() {
        BadFrameException bad = badFrame("{\"event\":\"\",\"ack\":5}");

        router.onBadFrame(client, bad);

        assertThat(replies(), contains(ackFailure(5, ErrorCode.BAD_FRAME, "frame must have a non-empty string field event")));
        assertOpen();
    }

    @Test
    void anEventWhoseFieldBreaksTheContractIsRefusedNamingTheFieldAndNotHandled() {
        router.on(ChatTyping.class, recording());

        router.onText(client, "{\"event\":\"chat:typing\",\"data\":{\"chatId\":\"c1\",\"isTyping\":\"yes\"},\"ack\":6}");

        assertThat(handled, is(empty()));
        assertThat(replies(), contains(ackFailure(6, ErrorCode.VALIDATION, "isTyping must be a boolean")));
        assertOpen();
    }

    @Test
    void aValidationFailureWithoutAnAckIdIsAnErrorEvent() {
        router.onText(client, "{\"event\":\"chat:typing\",\"data\":{\"isTyping\":true}}");

        assertThat(replies(), contains(error(ErrorCode.VALIDATION, "chatId is required")));
    }

    @Test
    void aFailedAckOfAnEventWithFailureFieldsCarriesThemReadFromTheDataAsSent() {
        router.on(ChatSend.class, recording());
        router.failureAckFields(ChatSend.NAME, data -> failed(ChatSend.rawClientMsgId(data).orElse(null)));

        router.onText(client, "{\"event\":\"chat:send\",\"data\":{\"chatId\":\"c1\",\"clientMsgId\":\"m-1\"},\"ack\":8}");

        assertThat(handled, is(empty()));
        assertThat(replies(), contains(json("{\"event\":\"ack\",\"ack\":8,\"data\":{\"success\":false,\"status\":\"FAILED\","
                                            + "\"clientMsgId\":\"m-1\",\"error\":{\"code\":\"VALIDATION\","
                                            + "\"message\":\"content is required\"}}}")));
    }

    @Test
    void dataThatIsNotAnObjectStillGetsTheEventsFailureFields() {
        router.on(ChatSend.class, recording());
        router.failureAckFields(ChatSend.NAME, data -> failed(ChatSend.rawClientMsgId(data).orElse(null)));

        router.onText(client, "{\"event\":\"chat:send\",\"data\":\"x\",\"ack\":4}");

        assertThat(handled, is(empty()));
        assertThat(replies(), contains(json("{\"event\":\"ack\",\"ack\":4,\"data\":{\"success\":false,\"status\":\"FAILED\","
                                            + "\"clientMsgId\":null,\"error\":{\"code\":\"VALIDATION\","
                                            + "\"message\":\"data must be an object\"}}}")));
        assertOpen();
    }

    @Test
    void aRateLimitedFrameWhoseDataIsNotAnObjectStillGetsTheEventsFailureFields() {
        router.failureAckFields(ChatSend.NAME, data -> failed(ChatSend.rawClientMsgId(data).orElse(null)));
        router.onBinary(client);
        router.onBinary(client);

        router.onText(client, "{\"event\":\"chat:send\",\"data\":[],\"ack\":5}");

        assertThat(replies().getLast(), is(json("{\"event\":\"ack\",\"ack\":5,\"data\":{\"success\":false,"
                                                + "\"status\":\"FAILED\",\"clientMsgId\":null,\"error\":"
                                                + "{\"code\":\"RATE_LIMITED\",\"message\":\"too many frames; slow down\"}}}")));
    }

    @Test
    void aHandlersRefusalIsAnsweredWithItsCodeAndTheEventsFailureFields() {
        router.on(ChatSend.class, (c, send) -> {
            throw new ProtocolException(ErrorCode.FORBIDDEN, "join chat c1 first (chat:join)");
        });
        router.failureAckFields(ChatSend.NAME, data -> failed(ChatSend.rawClientMsgId(data).orElse(null)));

        router.onText(client, "{\"event\":\"chat:send\",\"data\":{\"chatId\":\"c1\",\"content\":\"hi\",\"clientMsgId\":\"m-2\"},\"ack\":1}");

        assertThat(replies(), contains(json("{\"event\":\"ack\",\"ack\":1,\"data\":{\"success\":false,\"status\":\"FAILED\","
                                            + "\"clientMsgId\":\"m-2\",\"error\":{\"code\":\"FORBIDDEN\","
                                            + "\"message\":\"join chat c1 first (chat:join)\"}}}")));
        assertOpen();
    }

    @Test
    void theAckFieldsOfAHandlersRefusalReplaceTheEventsFailureFields() {
        router.on(ChatSend.class, (c, send) -> {
            throw new ProtocolException(ErrorCode.INTERNAL, "not replicated").withAckFields(Map.of("status", "UNKNOWN"));
        });
        router.failureAckFields(ChatSend.NAME, data -> failed("m-3"));

        router.onText(client, "{\"event\":\"chat:send\",\"data\":{\"chatId\":\"c1\",\"content\":\"hi\"},\"ack\":1}");

        assertThat(replies(), contains(json("{\"event\":\"ack\",\"ack\":1,\"data\":{\"success\":false,\"status\":\"UNKNOWN\","
                                            + "\"error\":{\"code\":\"INTERNAL\",\"message\":\"not replicated\"}}}")));
    }

    @Test
    void aHandlersRefusalWithoutAnAckIdIsAnErrorEvent() {
        router.on(PresencePing.class, (c, ping) -> {
            throw new ProtocolException(ErrorCode.UNAUTHORIZED, "token expired");
        });

        router.onText(client, "{\"event\":\"presence:ping\"}");

        assertThat(replies(), contains(error(ErrorCode.UNAUTHORIZED, "token expired")));
    }

    @Test
    void aHandlerThatFailsIsAnsweredInternalWithTheEventsFailureFieldsAndTheSocketStaysOpen() {
        router.on(ChatSend.class, (c, send) -> {
            throw new IllegalStateException("boom");
        });
        router.failureAckFields(ChatSend.NAME, data -> failed(ChatSend.rawClientMsgId(data).orElse(null)));

        router.onText(client, "{\"event\":\"chat:send\",\"data\":{\"chatId\":\"c1\",\"content\":\"hi\"},\"ack\":2}");

        assertThat(replies(), contains(json("{\"event\":\"ack\",\"ack\":2,\"data\":{\"success\":false,\"status\":\"FAILED\","
                                            + "\"clientMsgId\":null,\"error\":{\"code\":\"INTERNAL\","
                                            + "\"message\":\"internal error, try again\"}}}")));
        assertOpen();
    }

    @Test
    void aBinaryMessageIsABadFrame() {
        router.onBinary(client);

        assertThat(replies(), contains(error(ErrorCode.BAD_FRAME, "binary frames are not supported; send JSON text")));
        assertOpen();
    }

    @Test
    void afterARefusalTheNextEventOfTheSocketIsHandled() {
        router.on(PresencePing.class, recording());
        router.onText(client, "{not json");
        node.clock.advance(Duration.ofSeconds(1));

        router.onText(client, "{\"event\":\"presence:ping\",\"ack\":1}");

        assertThat(handled, contains(new PresencePing()));
        assertThat(replies().getLast(), is(json("{\"event\":\"ack\",\"ack\":1,\"data\":{\"success\":true}}")));
    }

    @Test
    void aFrameBeyondTheBurstIsRefusedRateLimitedWithTheEventsFailureFieldsAndNotHandled() {
        router.on(ChatSend.class, (c, send) -> {
            handled.add(send);
            return Map.of("status", "ACCEPTED");
        });
        router.failureAckFields(ChatSend.NAME, data -> failed(ChatSend.rawClientMsgId(data).orElse(null)));
        String send = "{\"event\":\"chat:send\",\"data\":{\"chatId\":\"c1\",\"content\":\"hi\",\"clientMsgId\":\"m-%d\"},\"ack\":%d}";

        for (int i = 1; i <= 3; i++) {
            router.onText(client, send.formatted(i, i));
        }

        assertThat(handled, hasSize(2));
        assertThat(replies().getLast(), is(json("{\"event\":\"ack\",\"ack\":3,\"data\":{\"success\":false,\"status\":\"FAILED\","
                                                + "\"clientMsgId\":\"m-3\",\"error\":{\"code\":\"RATE_LIMITED\","
                                                + "\"message\":\"too many frames; slow down\"}}}")));
        assertOpen();
    }

    @Test
    void badFramesAndBinaryMessagesTakeTokensToo() {
        router.on(PresencePing.class, recording());
        router.onText(client, "{not json");
        router.onBinary(client);

        router.onText(client, "{\"event\":\"presence:ping\"}");

        assertThat(handled, is(empty()));
        assertThat(replies().getLast(), is(error(ErrorCode.RATE_LIMITED, "too many frames; slow down")));
    }

    @Test
    void aRateLimitedBadFrameIsAnsweredInTheAckItAskedFor() {
        router.onBinary(client);
        router.onBinary(client);

        router.onText(client, "{\"event\":\"\",\"ack\":4}");

        assertThat(replies().getLast(), is(ackFailure(4, ErrorCode.RATE_LIMITED, "too many frames; slow down")));
    }

    @Test
    void aSocketThatKeepsExceedingTheRateLimitIsClosed4429InsteadOfAnswered() {
        router.on(PresencePing.class, recording());
        String ping = "{\"event\":\"presence:ping\"}";
        router.onText(client, ping);
        router.onText(client, ping); // the burst of 2 is spent

        // one frame refused in each of 10 seconds in a row: the 10th refusal closes the socket
        for (int second = 0; second < 10; second++) {
            if (second > 0) {
                node.clock.advance(Duration.ofSeconds(1));
                router.onText(client, ping); // takes the token refilled this second
            }
            router.onText(client, ping);
            node.executor.runAll(); // the writer keeps up: the outbox (8 frames) never overflows
        }

        assertThat(client.endReason(), is(DisconnectReason.RATE_LIMITED));
        assertThat(replies().stream().filter(reply -> reply.equals(error(ErrorCode.RATE_LIMITED, "too many frames; slow down")))
                           .count(), is(9L));
        assertThat(transport.written().getLast(), is("close:4429:rate limit exceeded"));
        assertThat(handled, hasSize(11));
    }

    @Test
    void refusalsThatPauseForASecondDoNotCloseTheSocket() {
        String ping = "{\"event\":\"presence:ping\"}";
        router.on(PresencePing.class, recording());
        router.onText(client, ping);
        router.onText(client, ping);

        for (int second = 0; second < 11; second++) {
            if (second > 0) {
                node.clock.advance(Duration.ofSeconds(1));
                router.onText(client, ping);
            }
            if (second != 5) { // no refusal in the 6th second: the run starts again
                router.onText(client, ping);
            }
            node.executor.runAll();
        }

        assertOpen();
    }

    private <E extends ClientEvent> EventHandler<E> recording() {
        return (c, event) -> {
            handled.add(event);
            return Map.of();
        };
    }

    /** The frames written to the socket since it opened, as JSON (close frames left out). */
    private List<JsonNode> replies() {
        node.executor.runAll();
        return transport.written().stream().skip(opening).filter(written -> written.startsWith("text:"))
                .map(written -> json(written.substring("text:".length()))).toList();
    }

    private void assertOpen() {
        node.executor.runAll();
        assertThat(client.endReason(), is(nullValue()));
        assertThat(transport.isOpen(), is(true));
    }

    private static Map<String, Object> failed(String clientMsgId) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("status", "FAILED");
        fields.put("clientMsgId", clientMsgId);
        return fields;
    }

    private static JsonNode ackFailure(long ack, ErrorCode code, String message) {
        return json("{\"event\":\"ack\",\"ack\":" + ack + ",\"data\":{\"success\":false,\"error\":{\"code\":\"" + code.name()
                            + "\",\"message\":" + quoted(message) + "}}}");
    }

    private static JsonNode error(ErrorCode code, String message) {
        return json("{\"event\":\"error\",\"data\":{\"code\":\"" + code.name() + "\",\"message\":" + quoted(message) + "}}");
    }

    private static BadFrameException badFrame(String text) {
        try {
            FrameCodec.create().decode(text);
        } catch (BadFrameException e) {
            return e;
        }
        throw new AssertionError("decoded: " + text);
    }

    private static String quoted(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }
}
