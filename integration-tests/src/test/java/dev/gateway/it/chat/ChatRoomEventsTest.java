package dev.gateway.it.chat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gateway.it.support.GatewayCluster;
import dev.gateway.it.support.GatewayProcess;
import dev.gateway.it.support.WsClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.gateway.it.chat.Chats.join;
import static dev.gateway.it.chat.Chats.sendAccepted;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * PROTOCOL section 4, the room events besides messages, across two nodes: {@code chat:typing} reaches the room
 * except the sending socket, {@code chat:read} the whole room, and {@code chat:user-joined} / {@code chat:user-left}
 * go out once per user: when the first of their sockets joins and when the last one leaves or closes.
 */
class ChatRoomEventsTest {
    private static final Duration EVENT = Duration.ofSeconds(5);
    private static final Duration QUIET = Duration.ofSeconds(1);

    @RegisterExtension
    static final GatewayCluster CLUSTER = GatewayCluster.nodes("room-a", "room-b").awaitingHeartbeats();

    private static GatewayProcess nodeA;
    private static GatewayProcess nodeB;

    @BeforeAll
    static void nameNodes() {
        nodeA = CLUSTER.node("room-a");
        nodeB = CLUSTER.node("room-b");
    }

    @Test
    void typingReachesTheOtherSocketsOfTheRoomButNotTheSendingSocket() {
        String chatId = "typing";
        WsClient aliceTab1 = CLUSTER.connect(nodeA, "alice", "laptop", "Laptop");
        WsClient aliceTab2 = CLUSTER.connect(nodeB, "alice", "phone", "Phone");
        WsClient bob = CLUSTER.connect(nodeB, "bob");
        WsClient carol = CLUSTER.connect(nodeA, "carol");
        WsClient outsider = CLUSTER.connect(nodeA, "dave");
        for (WsClient member : List.of(aliceTab1, aliceTab2, bob, carol)) {
            join(member, chatId);
        }

        JsonNode ack = aliceTab1.request("chat:typing", Map.of("chatId", chatId, "isTyping", true));

        assertThat(ack.toString(), ack.path("success").asBoolean(), is(true));
        for (WsClient other : List.of(aliceTab2, bob, carol)) {
            JsonNode typing = other.awaitEvent("chat:typing", EVENT);
            assertThat(other + ": " + typing, typing.path("chatId").asText(), is(chatId));
            assertThat(other + ": " + typing, typing.path("userId").asText(), is("alice"));
            assertThat(other + ": " + typing, typing.path("isTyping").asBoolean(), is(true));
        }
        aliceTab1.assertNoEvent("chat:typing", QUIET);
        outsider.assertNoEvent("chat:typing", Duration.ZERO);
    }

    @Test
    void readReceiptsReachTheWholeRoomIncludingTheSendingSocket() {
        String chatId = "read";
        WsClient alice = CLUSTER.connect(nodeA, "alice");
        WsClient bob = CLUSTER.connect(nodeB, "bob");
        WsClient carol = CLUSTER.connect(nodeA, "carol");
        for (WsClient member : List.of(alice, bob, carol)) {
            join(member, chatId);
        }
        String messageId = sendAccepted(bob, chatId, "read me", "r-1");

        JsonNode ack = alice.request("chat:read", Map.of("chatId", chatId, "messageId", messageId));

        assertThat(ack.toString(), ack.path("success").asBoolean(), is(true));
        for (WsClient member : List.of(alice, bob, carol)) {
            JsonNode read = member.awaitEvent("chat:read", EVENT);
            assertThat(member + ": " + read, read.path("chatId").asText(), is(chatId));
            assertThat(member + ": " + read, read.path("userId").asText(), is("alice"));
            assertThat(member + ": " + read, read.path("messageId").asText(), is(messageId));
        }
        alice.assertNoEvent("chat:read", QUIET);
    }

    @Test
    void userJoinedGoesOutWhenTheUsersFirstSocketJoinsAndNotForTheirSecondTab() {
        String chatId = "joined";
        WsClient bob = CLUSTER.connect(nodeA, "bob");
        join(bob, chatId);
        WsClient aliceTab1 = CLUSTER.connect(nodeB, "alice", "laptop", "Laptop");
        WsClient aliceTab2 = CLUSTER.connect(nodeA, "alice", "phone", "Phone");

        join(aliceTab1, chatId);
        JsonNode joined = bob.awaitEvent("chat:user-joined", ChatRoomEventsTest::aboutAlice, EVENT);
        join(aliceTab2, chatId);

        assertThat(joined.toString(), joined.path("chatId").asText(), is(chatId));
        assertThat(joined.toString(), joined.path("userId").asText(), is("alice"));
        bob.assertNoEvent("chat:user-joined", ChatRoomEventsTest::aboutAlice, QUIET);
    }

    @Test
    void userLeftGoesOutWhenTheUsersLastSocketLeavesAndNotBefore() {
        String chatId = "left";
        WsClient bob = CLUSTER.connect(nodeA, "bob");
        WsClient aliceTab1 = CLUSTER.connect(nodeB, "alice", "laptop", "Laptop");
        WsClient aliceTab2 = CLUSTER.connect(nodeA, "alice", "phone", "Phone");
        for (WsClient member : List.of(bob, aliceTab1, aliceTab2)) {
            join(member, chatId);
        }

        assertThat(aliceTab1.request("chat:leave", Map.of("chatId", chatId)).path("success").asBoolean(), is(true));
        bob.assertNoEvent("chat:user-left", ChatRoomEventsTest::aboutAlice, QUIET);
        assertThat(aliceTab2.request("chat:leave", Map.of("chatId", chatId)).path("success").asBoolean(), is(true));

        JsonNode left = bob.awaitEvent("chat:user-left", ChatRoomEventsTest::aboutAlice, EVENT);
        assertThat(left.toString(), left.path("chatId").asText(), is(chatId));
        assertThat(left.toString(), left.path("userId").asText(), is("alice"));
        bob.assertNoEvent("chat:user-left", ChatRoomEventsTest::aboutAlice, QUIET);
    }

    @Test
    void userLeftGoesOutWhenTheUsersLastSocketClosesAndNotWhenTheFirstOneDoes() {
        String chatId = "closed";
        WsClient bob = CLUSTER.connect(nodeA, "bob");
        WsClient aliceTab1 = CLUSTER.connect(nodeB, "alice", "laptop", "Laptop");
        WsClient aliceTab2 = CLUSTER.connect(nodeA, "alice", "phone", "Phone");
        for (WsClient member : List.of(bob, aliceTab1, aliceTab2)) {
            join(member, chatId);
        }

        aliceTab1.closeNormally();
        bob.assertNoEvent("chat:user-left", ChatRoomEventsTest::aboutAlice, QUIET);
        aliceTab2.closeNormally();

        JsonNode left = bob.awaitEvent("chat:user-left", ChatRoomEventsTest::aboutAlice, EVENT);
        assertThat(left.toString(), left.path("chatId").asText(), is(chatId));
        assertThat(left.toString(), left.path("userId").asText(), is("alice"));
        bob.assertNoEvent("chat:user-left", ChatRoomEventsTest::aboutAlice, QUIET);
    }

    private static boolean aboutAlice(JsonNode event) {
        return event.path("userId").asText().equals("alice");
    }
}
