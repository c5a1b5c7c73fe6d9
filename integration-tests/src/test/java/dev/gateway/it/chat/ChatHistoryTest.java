package dev.gateway.it.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gateway.it.support.GatewayCluster;
import dev.gateway.it.support.GatewayProcess;
import dev.gateway.it.support.WsClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.gateway.it.chat.Chats.join;
import static dev.gateway.it.chat.Chats.sendMany;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/**
 * PROTOCOL section 4, {@code chat:history}: stored messages newest first, {@code beforeId} exclusive, {@code limit}
 * 50 by default, capped at 100, and {@code VALIDATION} below 1. Each test stores 120 messages through the gateway.
 */
class ChatHistoryTest {
    private static final String CHAT = "history";
    private static final int STORED = 120;

    @RegisterExtension
    static final GatewayCluster CLUSTER = GatewayCluster.nodes("history").env(Map.of("RATE_LIMIT_PER_SECOND", "1000"));

    private static GatewayProcess node;
    private WsClient alice;
    /** The messageIds of the stored messages, oldest first. */
    private List<String> stored;

    @BeforeAll
    static void nameNodes() {
        node = CLUSTER.node("history");
    }

    @BeforeEach
    void storeMessages() {
        alice = CLUSTER.connect(node, "alice");
        join(alice, CHAT);
        stored = sendMany(alice, CHAT, "message", STORED);
    }

    @Test
    void historyReturnsTheNewestMessagesFirst() {
        JsonNode ack = alice.request("chat:history", Map.of("chatId", CHAT, "limit", 10));

        assertThat(ack.toString(), ack.path("success").asBoolean(), is(true));
        assertThat(ids(ack), is(newestFirst(STORED - 10, STORED)));
        JsonNode newest = ack.path("messages").get(0);
        assertThat(newest.toString(), newest.path("content").asText(), is("message " + (STORED - 1)));
        assertThat(newest.toString(), newest.path("senderId").asText(), is("alice"));
        assertThat(newest.toString(), newest.path("chatId").asText(), is(CHAT));
    }

    @Test
    void beforeIdIsExclusive() {
        JsonNode ack = alice.request("chat:history", Map.of("chatId", CHAT, "beforeId", stored.get(50), "limit", 5));

        assertThat(ack.toString(), ids(ack), is(newestFirst(45, 50)));
    }

    @Test
    void withoutALimitHistoryReturnsFifty() {
        JsonNode ack = alice.request("chat:history", Map.of("chatId", CHAT));

        assertThat(ack.toString(), ids(ack), is(newestFirst(STORED - 50, STORED)));
    }

    @Test
    void aLimitAboveOneHundredIsCappedAtOneHundred() {
        JsonNode ack = alice.request("chat:history", Map.of("chatId", CHAT, "limit", 500));

        assertThat(ack.toString(), ids(ack), is(newestFirst(STORED - 100, STORED)));
    }

    @Test
    void aLimitOfZeroIsRefusedWithValidation() {
        JsonNode ack = alice.request("chat:history", Map.of("chatId", CHAT, "limit", 0));

        assertThat(ack.toString(), ack.path("success").asBoolean(), is(false));
        assertThat(ack.toString(), ack.path("error").path("code").asText(), is("VALIDATION"));
        assertThat(ack.toString(), ack.path("error").path("message").asText(), containsString("limit"));
    }

    /** The stored ids from {@code from} (inclusive) to {@code to} (exclusive), newest first. */
    private List<String> newestFirst(int from, int to) {
        return new ArrayList<>(stored.subList(from, to)).reversed();
    }

    private static List<String> ids(JsonNode ack) {
        JsonNode messages = ack.path("messages");
        assertThat("messages is an array: " + ack, messages.isArray(), is(true));
        List<String> ids = new ArrayList<>();
        messages.forEach(m -> ids.add(m.path("id").asText()));
        return ids;
    }
}
