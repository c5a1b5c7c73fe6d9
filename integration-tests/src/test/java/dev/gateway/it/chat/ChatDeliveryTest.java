package dev.gateway.it.chat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gateway.it.support.GatewayCluster;
import dev.gateway.it.support.GatewayProcess;
import dev.gateway.it.support.WsClient;
import dev.gateway.testsupport.Poll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.gateway.it.chat.Chats.awaitMessageIds;
import static dev.gateway.it.chat.Chats.join;
import static dev.gateway.it.chat.Chats.messageIds;
import static dev.gateway.it.chat.Chats.messages;
import static dev.gateway.it.chat.Chats.send;
import static dev.gateway.it.chat.Chats.sendAccepted;
import static dev.gateway.it.chat.Chats.sortedByStreamId;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

/**
 * PROTOCOL section 4, {@code chat:send} and {@code chat:message} across two nodes: every accepted message reaches every
 * member of the room on either node exactly once, in the order the messages were accepted (the order of their
 * stream ids), with the fields of the contract; a repeated clientMsgId is not a new message.
 * <p>
 * The two nodes serve the whole class; the rate limit is raised so that the load scenario measures delivery, not
 * the limiter.
 */
class ChatDeliveryTest {
    private static final Duration EVENT = Duration.ofSeconds(5);
    private static final Duration QUIET = Duration.ofMillis(500);

    @RegisterExtension
    static final GatewayCluster CLUSTER = GatewayCluster.nodes("chat-a", "chat-b").env(Map.of("RATE_LIMIT_PER_SECOND", "1000")).awaitingHeartbeats();

    private static GatewayProcess nodeA;
    private static GatewayProcess nodeB;

    @BeforeAll
    static void nameNodes() {
        nodeA = CLUSTER.node("chat-a");
        nodeB = CLUSTER.node("chat-b");
    }

    @Test
    void membersOnTwoNodesEachReceiveEveryAcceptedMessageOnceInAcceptanceOrderWithAllFields() {
        String chatId = "fields";
        WsClient alice = CLUSTER.connect(nodeA, "alice");
        WsClient bob = CLUSTER.connect(nodeB, "bob");
        WsClient carol = CLUSTER.connect(nodeB, "carol");
        List<WsClient> members = List.of(alice, bob, carol);
        members.forEach(member -> join(member, chatId));

        List<Map<String, String>> expected = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            WsClient sender = i % 2 == 0 ? alice : bob;
            String type = i == 3 ? "note" : null;
            Map<String, Object> data = Chats.message(chatId, "message " + i + " from " + sender, "m-" + i);
            if (type != null) {
                data.put("type", type);
            }
            JsonNode ack = sender.request("chat:send", data);
            assertThat(ack.toString(), ack.path("success").asBoolean(), is(true));
            assertThat(ack.toString(), ack.path("status").asText(), is("ACCEPTED"));
            assertThat(ack.toString(), ack.path("clientMsgId").asText(), is("m-" + i));
            assertThat(ack.toString(), Instant.parse(ack.path("createdAt").asText()).isAfter(Instant.EPOCH), is(true));
            assertThat(ack.toString(), ack.path("createdAt").asText(), endsWith("Z"));
            expected.add(fields(ack.path("messageId").asText(), chatId, sender.toString(), "message " + i + " from " + sender,
                                type == null ? "text" : type, "m-" + i, ack.path("createdAt").asText()));
        }

        List<String> expectedIds = expected.stream().map(m -> m.get("id")).toList();
        for (WsClient member : members) {
            awaitMessageIds(member, chatId, expected.size(), EVENT);
            Poll.during(member + "'s chat:message ids", QUIET, () -> messageIds(member, chatId), is(expectedIds));
            List<Map<String, String>> received = messages(member, chatId).stream().map(ChatDeliveryTest::fields).toList();
            assertThat(member + " received", received, is(expected));
        }
    }

    @Test
    void aThousandMessagesFromFiveConcurrentSendersOnBothNodesArriveCompleteAndInOneOrderAtEveryMember() {
        String chatId = "load";
        int senders = 5;
        int perSender = 200;
        List<WsClient> sending = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            sending.add(CLUSTER.connect(s < 3 ? nodeA : nodeB, "sender" + s));
        }
        List<WsClient> members = new ArrayList<>(sending);
        members.add(CLUSTER.connect(nodeA, "reader-a"));
        members.add(CLUSTER.connect(nodeB, "reader-b"));
        members.forEach(member -> join(member, chatId));

        List<Supplier<List<String>>> senderTasks = new ArrayList<>();
        for (WsClient sender : sending) {
            senderTasks.add(() -> {
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < perSender; i++) {
                    ids.add(sendAccepted(sender, chatId, sender + " #" + i, sender + "-" + i));
                }
                return ids;
            });
        }
        List<List<String>> results = Chats.concurrently(senderTasks);
        Map<String, List<String>> acceptedBySender = new LinkedHashMap<>();
        for (int s = 0; s < senders; s++) {
            acceptedBySender.put(sending.get(s).toString(), results.get(s));
        }
        List<String> accepted = acceptedBySender.values().stream().flatMap(List::stream).toList();
        assertThat("distinct messageIds", new HashSet<>(accepted).size(), is(senders * perSender));

        for (WsClient member : members) {
            awaitMessageIds(member, chatId, accepted.size(), Poll.DEFAULT_TIMEOUT);
        }
        Poll.pause(QUIET);
        List<String> reference = messageIds(members.get(0), chatId);
        assertThat("what " + members.get(0) + " received, as a set", new HashSet<>(reference), is(new HashSet<>(accepted)));
        assertThat("how many " + members.get(0) + " received", reference.size(), is(accepted.size()));
        assertThat(members.get(0) + " received in stream-id order", reference, is(sortedByStreamId(reference)));
        for (WsClient member : members) {
            assertThat(member + " received the same sequence as " + members.get(0), messageIds(member, chatId), is(reference));
        }
        List<String> senderOrder = messages(members.get(0), chatId).stream().map(m -> m.path("senderId").asText()).toList();
        long switches = IntStream.range(1, senderOrder.size())
                .filter(i -> !senderOrder.get(i).equals(senderOrder.get(i - 1)))
                .count();
        assertThat("the senders ran concurrently (sender changes in the sequence)", switches, greaterThan((long) senders));
        for (Map.Entry<String, List<String>> sender : acceptedBySender.entrySet()) {
            List<String> own = messages(members.get(0), chatId).stream()
                    .filter(m -> m.path("senderId").asText().equals(sender.getKey()))
                    .map(m -> m.path("id").asText())
                    .toList();
            assertThat(sender.getKey() + "'s messages in the order they were accepted", own, is(sender.getValue()));
        }
    }

    @Test
    void aRepeatedClientMsgIdReturnsTheFirstMessageIdAndIsNotDeliveredAgain() {
        String chatId = "dedup";
        WsClient alice = CLUSTER.connect(nodeA, "alice");
        WsClient bob = CLUSTER.connect(nodeB, "bob");
        join(alice, chatId);
        join(bob, chatId);

        String first = sendAccepted(alice, chatId, "hello", "c-1");
        JsonNode repeated = send(alice, chatId, "hello", "c-1");
        String fence = sendAccepted(alice, chatId, "after the repeat", "c-2");

        assertThat(repeated.toString(), repeated.path("status").asText(), is("ACCEPTED"));
        assertThat(repeated.toString(), repeated.path("messageId").asText(), is(first));
        assertThat(repeated.toString(), repeated.path("clientMsgId").asText(), is("c-1"));
        for (WsClient member : List.of(alice, bob)) {
            awaitMessageIds(member, chatId, 2, EVENT);
            Poll.during(member + "'s chat:message ids", QUIET, () -> messageIds(member, chatId), is(List.of(first, fence)));
        }
    }

    @Test
    void theSameClientMsgIdFromAnotherUserIsANewMessage() {
        String chatId = "dedup-per-user";
        WsClient alice = CLUSTER.connect(nodeA, "alice");
        WsClient bob = CLUSTER.connect(nodeB, "bob");
        join(alice, chatId);
        join(bob, chatId);

        String fromAlice = sendAccepted(alice, chatId, "hello", "c-1");
        String fromBob = sendAccepted(bob, chatId, "hello", "c-1");

        assertThat(fromBob.equals(fromAlice), is(false));
        assertThat(awaitMessageIds(alice, chatId, 2, EVENT), is(List.of(fromAlice, fromBob)));
        assertThat(awaitMessageIds(bob, chatId, 2, EVENT), is(List.of(fromAlice, fromBob)));
    }

    private static Map<String, String> fields(String id, String chatId, String senderId, String content, String type,
                                              String clientMsgId, String createdAt) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("id", id);
        fields.put("chatId", chatId);
        fields.put("senderId", senderId);
        fields.put("content", content);
        fields.put("type", type);
        fields.put("clientMsgId", clientMsgId);
        fields.put("createdAt", createdAt);
        return fields;
    }

    /** The seven fields of a chat:message (a missing one shows as null). */
    private static Map<String, String> fields(JsonNode message) {
        return fields(text(message, "id"), text(message, "chatId"), text(message, "senderId"), text(message, "content"),
                      text(message, "type"), text(message, "clientMsgId"), text(message, "createdAt"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
