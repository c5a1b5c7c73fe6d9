package dev.gateway.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gateway.it.support.GatewayCluster;
import dev.gateway.it.support.GatewayProcess;
import dev.gateway.it.support.WsClient;
import dev.gateway.protocol.event.Json;
import dev.gateway.testsupport.Poll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * PROTOCOL section 3: every bad frame gets its error code (as an {@code error} event, or in the ack when the frame
 * had an ack id), never closes the socket and never touches another socket. Only a message over
 * {@code MAX_FRAME_BYTES} (4096 here), however fragmented, closes the socket, with 1009.
 */
class BadFrameTest {
    private static final int MAX_FRAME_BYTES = 4096;
    private static final Duration EVENT = Duration.ofSeconds(5);

    @RegisterExtension
    static final GatewayCluster CLUSTER = GatewayCluster.nodes("node-frames").env(Map.of("MAX_FRAME_BYTES", String.valueOf(MAX_FRAME_BYTES)));

    private static GatewayProcess node;
    private WsClient alice;
    private WsClient bob;

    @BeforeAll
    static void nameNodes() {
        node = CLUSTER.node("node-frames");
    }

    @BeforeEach
    void connect() {
        alice = CLUSTER.connect(node, "alice");
        bob = CLUSTER.connect(node, "bob");
        alice.awaitEvent("presence:bulk-online", EVENT);
        bob.awaitEvent("presence:bulk-online", EVENT);
    }

    @Test
    void textThatIsNotJsonGetsBadFrame() {
        alice.sendRaw("this is not json");

        assertError(alice.awaitEvent("error", EVENT), "BAD_FRAME");
        assertStillWorks();
    }

    @Test
    void truncatedJsonGetsBadFrame() {
        alice.sendRaw("{\"event\":\"presence:ping\",\"data\":{");

        assertError(alice.awaitEvent("error", EVENT), "BAD_FRAME");
        assertStillWorks();
    }

    @Test
    void aJsonArrayGetsBadFrame() {
        alice.sendRaw("[{\"event\":\"presence:ping\"}]");

        assertError(alice.awaitEvent("error", EVENT), "BAD_FRAME");
        assertStillWorks();
    }

    @Test
    void aJsonStringGetsBadFrame() {
        alice.sendRaw("\"presence:ping\"");

        assertError(alice.awaitEvent("error", EVENT), "BAD_FRAME");
        assertStillWorks();
    }

    @Test
    void aJsonNumberGetsBadFrame() {
        alice.sendRaw("42");

        assertError(alice.awaitEvent("error", EVENT), "BAD_FRAME");
        assertStillWorks();
    }

    @Test
    void anObjectWithoutEventGetsBadFrame() {
        alice.sendRaw("{\"data\":{}}");

        assertError(alice.awaitEvent("error", EVENT), "BAD_FRAME");
        assertStillWorks();
    }

    @Test
    void anEmptyMessageGetsBadFrame() {
        alice.sendRaw("");

        assertError(alice.awaitEvent("error", EVENT), "BAD_FRAME");
        assertStillWorks();
    }

    @Test
    void anUnknownEventWithAckIdGetsUnknownEventInTheAck() {
        JsonNode ack = alice.request("chat:teleport", Map.of());

        assertFailedAck(ack, "UNKNOWN_EVENT");
        assertStillWorks();
    }

    @Test
    void anUnknownEventWithoutAckIdGetsAnUnknownEventError() {
        alice.send("chat:teleport", Map.of());

        assertError(alice.awaitEvent("error", EVENT), "UNKNOWN_EVENT");
        assertStillWorks();
    }

    @Test
    void dataOfTheWrongTypeGetsValidation() {
        alice.sendRaw("{\"event\":\"presence:subscribe\",\"data\":\"alice\",\"ack\":901}");

        assertFailedAck(alice.awaitAck(901, EVENT), "VALIDATION");
        assertStillWorks();
    }

    @Test
    void aFieldOfTheWrongTypeGetsValidationNamingTheField() {
        JsonNode ack = alice.request("presence:subscribe", Map.of("userIds", "carol"));

        assertFailedAck(ack, "VALIDATION");
        assertThat(ack.path("error").path("message").asText(), containsString("userIds"));
        assertStillWorks();
    }

    @Test
    void aMissingFieldGetsValidationNamingTheField() {
        JsonNode ack = alice.request("presence:subscribe", Map.of());

        assertFailedAck(ack, "VALIDATION");
        assertThat(ack.path("error").path("message").asText(), containsString("userIds"));
        assertStillWorks();
    }

    @Test
    void listElementsOfTheWrongTypeGetValidation() {
        JsonNode ack = alice.request("presence:subscribe", Map.of("userIds", List.of(1, 2)));

        assertFailedAck(ack, "VALIDATION");
        assertStillWorks();
    }

    @Test
    void subscribingToMoreThan500UsersGetsValidation() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 501; i++) {
            ids.add("u" + i);
        }

        JsonNode ack = alice.request("presence:subscribe", Map.of("userIds", ids));

        assertFailedAck(ack, "VALIDATION");
        assertThat(ack.path("error").path("message").asText(), containsString("userIds"));
        assertStillWorks();
    }

    @Test
    void subscribingToExactly500UsersIsAllowed() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            ids.add("u" + i);
        }

        JsonNode ack = alice.request("presence:subscribe", Map.of("userIds", ids));

        assertThat(ack.toString(), ack.path("success").asBoolean(), is(true));
    }

    @Test
    void aWebSocketPingIsAnsweredWithAPong() {
        alice.sendPing();

        Poll.eventually("pongs received", alice::pongs, is(1L), EVENT);
        assertStillWorks();
    }

    @Test
    void aRefreshWithATokenOfTheWrongTypeGetsValidationNamingTheField() {
        JsonNode ack = alice.request("auth:refresh", Map.of("token", 12345));

        assertFailedAck(ack, "VALIDATION");
        assertThat(ack.path("error").path("message").asText(), containsString("token"));
        assertStillWorks();
    }

    @Test
    void aValidationFailureWithoutAckIdGetsAnErrorEvent() {
        alice.send("presence:subscribe", Map.of("userIds", 7));

        JsonNode error = alice.awaitEvent("error", EVENT);
        assertError(error, "VALIDATION");
        assertThat(error.path("message").asText(), containsString("userIds"));
        assertStillWorks();
    }

    @Test
    void aBinaryFrameGetsBadFrame() {
        alice.sendBinary("{\"event\":\"presence:ping\"}".getBytes(StandardCharsets.UTF_8));

        assertError(alice.awaitEvent("error", EVENT), "BAD_FRAME");
        assertStillWorks();
    }

    @Test
    void aFragmentedBinaryMessageGetsOneBadFrame() {
        alice.sendBinary(new byte[100], false);
        alice.sendBinary(new byte[100], false);
        alice.sendBinary(new byte[100], true);

        assertError(alice.awaitEvent("error", EVENT), "BAD_FRAME");
        assertStillWorks();
        alice.assertNoEvent("error", Duration.ZERO);
    }

    @Test
    void aMessageSplitInFragmentsCountsOnce() {
        String frame = "{\"event\":\"presence:ping\",\"data\":{},\"ack\":77}";

        alice.sendText(frame.substring(0, 10), false);
        alice.sendText(frame.substring(10, 30), false);
        alice.sendText(frame.substring(30), true);

        assertThat(alice.awaitAck(77, EVENT).path("success").asBoolean(), is(true));
        assertStillWorks();
        alice.assertNoEvent("error", Duration.ZERO);
    }

    @Test
    void aFragmentedMessageOfExactlyMaxFrameBytesIsAccepted() {
        String frame = subscribeFrameOfBytes(MAX_FRAME_BYTES, 501);
        int third = frame.length() / 3;

        alice.sendText(frame.substring(0, third), false);
        alice.sendText(frame.substring(third, 2 * third), false);
        alice.sendText(frame.substring(2 * third), true);

        assertThat(alice.awaitAck(501, EVENT).path("success").asBoolean(), is(true));
        assertStillWorks();
    }

    @Test
    void aMessageOverMaxFrameBytesSplitInFragmentsClosesWith1009() {
        String frame = subscribeFrameOfBytes(MAX_FRAME_BYTES + 1, 502);
        int quarter = frame.length() / 4;

        try {
            alice.sendText(frame.substring(0, quarter), false);
            alice.sendText(frame.substring(quarter, 2 * quarter), false);
            alice.sendText(frame.substring(2 * quarter, 3 * quarter), false);
            alice.sendText(frame.substring(3 * quarter), true);
        } catch (IllegalStateException e) {
            // the server may close as soon as the limit is crossed, before the last fragment is sent
        }

        assertThat(alice.awaitClose().code(), is(1009));
        assertThat(bob.ping().path("success").asBoolean(), is(true));
    }

    @Test
    void aSingleFrameOverMaxFrameBytesClosesWith1009() {
        try {
            alice.sendRaw(subscribeFrameOfBytes(2 * MAX_FRAME_BYTES, 503));
        } catch (IllegalStateException e) {
            // the server may close while the frame is still being written
        }

        assertThat(alice.awaitClose().code(), is(1009));
        assertThat(bob.ping().path("success").asBoolean(), is(true));
    }

    @Test
    void theDefaultCapIs64KiB() {
        GatewayProcess defaults = CLUSTER.start("node-default-cap", Map.of());
        WsClient carol = CLUSTER.connect(defaults, "carol");
        WsClient dave = CLUSTER.connect(defaults, "dave");

        // 65536 bytes: answered (more than 500 ids, so VALIDATION), not closed
        carol.sendRaw(subscribeFrameOfBytes(65_536, 601));
        assertThat(carol.awaitAck(601, EVENT).path("error").path("code").asText(), is("VALIDATION"));
        assertThat(carol.ping().path("success").asBoolean(), is(true));
        try {
            dave.sendRaw(subscribeFrameOfBytes(65_537, 602));
        } catch (IllegalStateException e) {
            // the server may close while the frame is still being written
        }
        assertThat(dave.awaitClose().code(), is(1009));
    }

    @Test
    void manyBadFramesNeitherCloseTheSocketNorReachAnotherSocket() {
        List<String> bad = List.of("nope", "[]", "{}", "{\"data\":1}", "{\"event\":\"no:such\"}", "null");
        for (String frame : bad) {
            alice.sendRaw(frame);
        }
        alice.sendBinary(new byte[] {1, 2, 3});

        for (int i = 0; i < bad.size() + 1; i++) {
            alice.awaitEvent("error", EVENT);
        }
        assertStillWorks();
        bob.assertNoEvent("error", Duration.ZERO);
        assertThat(bob.ping().path("success").asBoolean(), is(true));
        assertThat(bob.isClosed(), is(false));
    }

    /** The socket that got the bad frame still acks a ping; the other socket saw nothing. */
    private void assertStillWorks() {
        assertThat(alice.ping().path("success").asBoolean(), is(true));
        assertThat(alice.isClosed(), is(false));
        bob.assertNoEvent("error", Duration.ZERO);
    }

    private static void assertError(JsonNode error, String code) {
        assertThat(error.toString(), error.path("code").asText(), is(code));
        assertThat(error.toString(), error.path("message").isTextual(), is(true));
        assertThat(error.toString(), error.path("message").asText(), not(is("")));
    }

    private static void assertFailedAck(JsonNode ack, String code) {
        assertThat(ack.toString(), ack.path("success").asBoolean(true), is(false));
        assertError(ack.path("error"), code);
    }

    /** A {@code presence:subscribe} frame of exactly {@code size} bytes (ASCII), padded with user ids. */
    private static String subscribeFrameOfBytes(int size, long ackId) {
        List<String> ids = new ArrayList<>();
        while (size - subscribeFrame(ids, ackId).length() > 120) {
            ids.add(String.format("u%07d", ids.size()));
        }
        ids.add("");
        int missing = size - subscribeFrame(ids, ackId).length();
        ids.set(ids.size() - 1, "x".repeat(missing));
        String frame = subscribeFrame(ids, ackId);
        if (frame.getBytes(StandardCharsets.UTF_8).length != size) {
            throw new IllegalStateException("built a frame of " + frame.length() + " bytes, wanted " + size);
        }
        return frame;
    }

    private static String subscribeFrame(List<String> ids, long ackId) {
        ObjectNode frame = Json.mapper().createObjectNode();
        frame.put("event", "presence:subscribe");
        ArrayNode userIds = frame.putObject("data").putArray("userIds");
        ids.forEach(userIds::add);
        frame.put("ack", ackId);
        return frame.toString();
    }
}
