package dev.gateway.it.chat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
import static dev.gateway.it.chat.Chats.send;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * PROTOCOL section 6, version 2, through the chat events on two nodes: ids that contain {@code :} never share a Redis
 * key with other ids, so user {@code u1} with clientMsgId {@code x:m1} and user {@code u1:x} with {@code m1} send two
 * messages, both stored and delivered, and a chat such as {@code dm:alice:bob} works like any other.
 */
class ColonIdsChatTest {
    private static final Duration EVENT = Duration.ofSeconds(5);
    private static final Duration QUIET = Duration.ofSeconds(1);

    @RegisterExtension
    static final GatewayCluster CLUSTER = GatewayCluster.nodes("colon-a", "colon-b").awaitingHeartbeats();

    private static GatewayProcess nodeA;
    private static GatewayProcess nodeB;

    @BeforeAll
    static void nameNodes() {
        nodeA = CLUSTER.node("colon-a");
        nodeB = CLUSTER.node("colon-b");
    }

    @Test
    void userU1WithClientMsgIdXm1AndUserU1xWithM1SendTwoMessagesBothStoredAndDelivered() {
        WsClient u1 = CLUSTER.connect(nodeA, "u1");
        WsClient u1x = CLUSTER.connect(nodeB, "u1:x");
        WsClient reader = CLUSTER.connect(nodeB, "reader");
        for (WsClient member : List.of(u1, u1x, reader)) {
            join(member, "c1");
        }

        JsonNode first = send(u1, "c1", "from u1", "x:m1");
        JsonNode second = send(u1x, "c1", "from u1:x", "m1");

        assertThat(first.toString(), first.path("status").asText(), is("ACCEPTED"));
        assertThat(second.toString(), second.path("status").asText(), is("ACCEPTED"));
        assertThat(second.path("messageId").asText(), is(not(first.path("messageId").asText())));
        List<String> expected = List.of(first.path("messageId").asText(), second.path("messageId").asText());
        for (WsClient member : List.of(u1, u1x, reader)) {
            assertThat(member.toString(), awaitMessageIds(member, "c1", 2, EVENT), is(expected));
        }
        JsonNode history = reader.request("chat:history", Map.of("chatId", "c1"));
        assertThat(history.toString(), history.path("messages").size(), is(2));
        assertThat(history.toString(), history.path("messages").get(0).path("senderId").asText(), is("u1:x"));
        assertThat(history.toString(), history.path("messages").get(0).path("clientMsgId").asText(), is("m1"));
        assertThat(history.toString(), history.path("messages").get(1).path("senderId").asText(), is("u1"));
        assertThat(history.toString(), history.path("messages").get(1).path("clientMsgId").asText(), is("x:m1"));
    }

    @Test
    void aRepeatedClientMsgIdWithAColonReturnsTheFirstMessageAndIsNotDeliveredTwice() {
        WsClient u1 = CLUSTER.connect(nodeA, "u1");
        WsClient reader = CLUSTER.connect(nodeB, "reader");
        join(u1, "c2");
        join(reader, "c2");

        JsonNode first = send(u1, "c2", "once", "x:m1");
        JsonNode again = send(u1, "c2", "once", "x:m1");

        assertThat(again.toString(), again.path("messageId").asText(), is(first.path("messageId").asText()));
        assertThat(awaitMessageIds(reader, "c2", 1, EVENT), is(List.of(first.path("messageId").asText())));
        Poll.during("chat:message count of " + reader, QUIET, () -> Chats.messages(reader, "c2").size(), is(1));
    }

    @Test
    void aChatWhoseIdHasColonsCarriesMessagesAndRoomEventsWithTheRawIdAcrossNodes() {
        String chatId = "dm:alice:bob";
        WsClient alice = CLUSTER.connect(nodeA, "google-oauth2:alice");
        WsClient bob = CLUSTER.connect(nodeB, "bob");
        join(bob, chatId);
        join(alice, chatId);
        JsonNode joined = bob.awaitEvent("chat:user-joined", e -> e.path("userId").asText().startsWith("google"), EVENT);
        assertThat(joined.path("chatId").asText(), is(chatId));
        assertThat(joined.path("userId").asText(), is("google-oauth2:alice"));

        JsonNode ack = send(alice, chatId, "hi bob", "m:1");
        List<String> received = awaitMessageIds(bob, chatId, 1, EVENT);

        assertThat(received, is(List.of(ack.path("messageId").asText())));
        JsonNode message = Chats.messages(bob, chatId).getFirst();
        assertThat(message.path("chatId").asText(), is(chatId));
        assertThat(message.path("senderId").asText(), is("google-oauth2:alice"));
        assertThat(CLUSTER.redis().client().xlen("chat:dm%3Aalice%3Abob:messages"), is(1L));
        assertThat(CLUSTER.redis().client().exists("chat:dm:alice:bob:messages"), is(false));

        alice.closeNormally();
        JsonNode left = bob.awaitEvent("chat:user-left", e -> e.path("userId").asText().startsWith("google"), EVENT);
        assertThat(left.path("chatId").asText(), is(chatId));
        assertThat(left.path("userId").asText(), is("google-oauth2:alice"));
    }

    @Test
    void keysOfUsersAndChatsWithColonsAreEscapedAndNoneIsSharedWithAnotherId() {
        WsClient x = CLUSTER.connect(nodeA, "X", "d1", "Phone");
        WsClient other = CLUSTER.connect(nodeB, "X:device:d1", "web", "Browser");

        assertThat(CLUSTER.records().deviceSockets("X", "d1"), is(Set.of(x.socketId())));
        assertThat(CLUSTER.records().userSockets("X:device:d1"), is(Set.of(other.socketId())));
        assertThat(CLUSTER.redis().client().smembers("ws:user:X:device:d1:connections"), is(Set.of(x.socketId())));
        assertThat(CLUSTER.redis().scan("ws:user:X%3Adevice%3Ad1:*"), containsInAnyOrder("ws:user:X%3Adevice%3Ad1:connections",
                                                                              "ws:user:X%3Adevice%3Ad1:device:web:connections"));
    }
}
