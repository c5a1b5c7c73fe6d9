package dev.gateway.it.chat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gateway.it.support.GatewayCluster;
import dev.gateway.it.support.GatewayProcess;
import dev.gateway.it.support.RawWebSocket;
import dev.gateway.it.support.WireFrame;
import dev.gateway.it.support.WsClient;
import dev.gateway.protocol.event.Json;
import dev.gateway.testsupport.Tokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.gateway.it.chat.Chats.join;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * PROTOCOL section 4, "WebSocket framing": a message whose UTF-8 characters are split across WebSocket fragments is
 * reassembled intact. Sent from a raw socket in three fragments, cut inside a two-byte and inside a four-byte
 * character, it reaches every member of the chat on both nodes, the sender included, and {@code chat:history}
 * returns it as sent.
 */
class SplitCharacterTest {
    private static final String CHAT = "split-characters";
    private static final String CONTENT = "caf\u00e9 \ud83d\ude00 \u20ac";
    private static final Duration EVENT = Duration.ofSeconds(5);

    @RegisterExtension
    static final GatewayCluster CLUSTER = GatewayCluster.onRedis();

    @Test
    void aCharacterSplitAcrossFragmentsArrivesIntactAtEveryMemberAndInHistory() {
        List<GatewayProcess> nodes = Chats.startNodes(CLUSTER.gateways(), Map.of(), "split-a", "split-b");
        Chats.awaitHeartbeats(CLUSTER.redis(), nodes);
        WsClient bob = CLUSTER.connect(nodes.get(0), "bob");
        WsClient carol = CLUSTER.connect(nodes.get(1), "carol");
        join(bob, CHAT);
        join(carol, CHAT);

        try (RawWebSocket alice = RawWebSocket.request(nodes.get(0), "/ws?access_token=" + Tokens.forUser("alice")).open()) {
            alice.send(WireFrame.text(frame("chat:join", Map.of("chatId", CHAT), 1)));
            assertThat(ack(alice, 1).path("success").asBoolean(), is(true));

            byte[] send = frame("chat:send", Map.of("chatId", CHAT, "content", CONTENT, "clientMsgId", "split-1"), 2)
                    .getBytes(StandardCharsets.UTF_8);
            int insideE = indexOf(send, "\u00e9") + 1; // between the two bytes of é
            int insideGrin = indexOf(send, "\ud83d\ude00") + 2; // in the middle of the four bytes of 😀
            alice.send(WireFrame.of(WireFrame.TEXT, Arrays.copyOfRange(send, 0, insideE)).notFinal());
            alice.send(WireFrame.continuation(Arrays.copyOfRange(send, insideE, insideGrin)).notFinal());
            alice.send(WireFrame.continuation(Arrays.copyOfRange(send, insideGrin, send.length)));

            JsonNode ack = ack(alice, 2);
            assertThat(ack.toString(), ack.path("status").asText(), is("ACCEPTED"));
            assertThat(event(alice, "chat:message").path("content").asText(), is(CONTENT));
        }
        for (WsClient member : List.of(bob, carol)) {
            JsonNode message = member.awaitEvent("chat:message", EVENT);
            assertThat(member + " got " + message, message.path("content").asText(), is(CONTENT));
        }
        JsonNode history = carol.request("chat:history", Map.of("chatId", CHAT));
        assertThat(history.toString(), history.path("messages").get(0).path("content").asText(), is(CONTENT));
    }

    private static String frame(String event, Map<String, Object> data, long ack) {
        ObjectNode frame = Json.mapper().createObjectNode();
        frame.put("event", event);
        frame.set("data", Json.mapper().valueToTree(data));
        frame.put("ack", ack);
        return frame.toString();
    }

    /** The data of the ack with this id, among the frames received so far or read now. */
    private static JsonNode ack(RawWebSocket socket, long id) {
        return awaitFrame(socket, frame -> frame.path("event").asText().equals("ack") && frame.path("ack").asLong() == id);
    }

    /** The data of the first frame of this event, among the frames received so far or read now. */
    private static JsonNode event(RawWebSocket socket, String event) {
        return awaitFrame(socket, frame -> frame.path("event").asText().equals(event));
    }

    private static JsonNode awaitFrame(RawWebSocket socket, Predicate<JsonNode> wanted) {
        for (RawWebSocket.Frame frame : socket.received()) {
            if (frame.opcode() == WireFrame.TEXT && wanted.test(json(frame.text()))) {
                return json(frame.text()).path("data");
            }
        }
        while (true) {
            JsonNode frame = json(socket.nextText());
            if (wanted.test(frame)) {
                return frame.path("data");
            }
        }
    }

    private static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private static int indexOf(byte[] bytes, String text) {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + needle.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError(text + " not found");
    }
}
