package dev.gateway.it.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gateway.it.support.GatewayCluster;
import dev.gateway.it.support.GatewayProcess;
import dev.gateway.it.support.WsClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.gateway.it.chat.Chats.awaitMessageIds;
import static dev.gateway.it.chat.Chats.join;
import static dev.gateway.it.chat.Chats.sendMany;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * PROTOCOL section 4, recovery: a member that was away joins again with {@code sinceId}, the last messageId it saw,
 * and the ack's {@code missed} holds what was accepted meanwhile, oldest first, a page (100) at most.
 * The member leaves one node and comes back on the other.
 */
class ChatRecoveryTest {
    private static final Duration EVENT = Duration.ofSeconds(5);

    @RegisterExtension
    static final GatewayCluster CLUSTER = GatewayCluster.nodes("recovery-a", "recovery-b").env(Map.of("RATE_LIMIT_PER_SECOND", "1000")).awaitingHeartbeats();

    private static GatewayProcess nodeA;
    private static GatewayProcess nodeB;

    @BeforeAll
    static void nameNodes() {
        nodeA = CLUSTER.node("recovery-a");
        nodeB = CLUSTER.node("recovery-b");
    }

    @Test
    void aMemberThatRejoinsWithSinceIdGetsExactlyTheTwentyMessagesItMissedOldestFirst() {
        String chatId = "recovery";
        WsClient alice = CLUSTER.connect(nodeA, "alice");
        WsClient bob = CLUSTER.connect(nodeB, "bob");
        join(alice, chatId);
        join(bob, chatId);
        List<String> seen = sendMany(alice, chatId, "before", 5);
        List<String> bobSaw = awaitMessageIds(bob, chatId, seen.size(), EVENT);
        assertThat(bobSaw, is(seen));
        bob.closeNormally();

        List<String> missed = sendMany(alice, chatId, "while away", 20);
        WsClient bobAgain = CLUSTER.connect(nodeA, "bob");
        JsonNode ack = bobAgain.request("chat:join", Map.of("chatId", chatId, "sinceId", bobSaw.getLast()));

        assertThat(ack.toString(), ack.path("success").asBoolean(), is(true));
        assertThat(ack.toString(), ids(ack.path("missed")), is(missed));
        for (int i = 0; i < missed.size(); i++) {
            JsonNode message = ack.path("missed").get(i);
            assertThat(message.toString(), message.path("chatId").asText(), is(chatId));
            assertThat(message.toString(), message.path("senderId").asText(), is("alice"));
            assertThat(message.toString(), message.path("content").asText(), is("while away " + i));
            assertThat(message.toString(), message.path("clientMsgId").asText(), is("while away-" + i));
            assertThat(message.toString(), message.path("type").asText(), is("text"));
            assertThat(message.toString(), message.path("createdAt").isTextual(), is(true));
        }
        assertThat(ack.toString(), ack.path("hasMore").isBoolean() && !ack.path("hasMore").asBoolean(), is(true));
        assertThat(ack.toString(), ack.path("recovered").asBoolean(), is(true));
    }

    @Test
    void aMemberThatMissedMoreThanAPageGetsTheFirstHundredAndHasMore() {
        String chatId = "recovery-paged";
        WsClient alice = CLUSTER.connect(nodeA, "alice");
        join(alice, chatId);
        String last = sendMany(alice, chatId, "seen", 1).getFirst();

        List<String> missed = sendMany(alice, chatId, "while away", 130);
        WsClient bob = CLUSTER.connect(nodeB, "bob");
        JsonNode ack = bob.request("chat:join", Map.of("chatId", chatId, "sinceId", last));

        assertThat(ack.toString(), ids(ack.path("missed")), is(missed.subList(0, 100)));
        assertThat(ack.toString(), ack.path("hasMore").asBoolean(), is(true));
        assertThat(ack.toString(), ack.path("recovered").asBoolean(), is(true));
    }

    private static List<String> ids(JsonNode messages) {
        assertThat("missed is an array: " + messages, messages.isArray(), is(true));
        List<String> ids = new ArrayList<>();
        messages.forEach(m -> ids.add(m.path("id").asText()));
        return ids;
    }
}
