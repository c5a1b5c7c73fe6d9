package dev.gateway.it.chat;

import java.time.Duration;
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
 * PROTOCOL sections 4 and 6, {@code CHAT_MEMBERSHIP=redis}: only the users the application lists in
 * {@code chat:{chatId}:members} may join a chat (or read its history); everyone else gets {@code FORBIDDEN}.
 */
class ChatMembershipTest {
    private static final String CHAT = "members-only";
    private static final Duration QUIET = Duration.ofSeconds(1);

    @RegisterExtension
    static final GatewayCluster CLUSTER = GatewayCluster.nodes("membership").env(Map.of("CHAT_MEMBERSHIP", "redis"));

    private static GatewayProcess node;

    @BeforeAll
    static void nameNodes() {
        node = CLUSTER.node("membership");
    }

    @Test
    void aUserNotInTheMemberSetIsRefusedWithForbidden() {
        CLUSTER.redis().client().sadd("chat:" + CHAT + ":members", "alice");
        WsClient mallory = CLUSTER.connect(node, "mallory");

        JsonNode ack = mallory.request("chat:join", Map.of("chatId", CHAT));

        assertThat(ack.toString(), ack.path("success").asBoolean(), is(false));
        assertThat(ack.toString(), ack.path("error").path("code").asText(), is("FORBIDDEN"));
    }

    @Test
    void aRefusedUserReceivesNothingFromTheChat() {
        CLUSTER.redis().client().sadd("chat:" + CHAT + ":members", "alice");
        WsClient alice = CLUSTER.connect(node, "alice");
        WsClient mallory = CLUSTER.connect(node, "mallory");
        join(alice, CHAT);
        mallory.request("chat:join", Map.of("chatId", CHAT));

        sendAccepted(alice, CHAT, "members only", "m-1");

        mallory.assertNoEvent("chat:message", QUIET);
    }

    @Test
    void aUserNotInTheMemberSetCannotReadTheHistory() {
        WsClient mallory = CLUSTER.connect(node, "mallory");

        JsonNode ack = mallory.request("chat:history", Map.of("chatId", CHAT));

        assertThat(ack.toString(), ack.path("success").asBoolean(), is(false));
        assertThat(ack.toString(), ack.path("error").path("code").asText(), is("FORBIDDEN"));
    }

    @Test
    void aUserListedInTheMemberSetIsAdmittedAndCanSend() {
        CLUSTER.redis().client().sadd("chat:" + CHAT + ":members", "alice", "bob");
        WsClient alice = CLUSTER.connect(node, "alice");

        JsonNode ack = alice.request("chat:join", Map.of("chatId", CHAT));
        String messageId = sendAccepted(alice, CHAT, "hello members", "m-1");

        assertThat(ack.toString(), ack.path("success").asBoolean(), is(true));
        assertThat(Chats.awaitMessageIds(alice, CHAT, 1, Duration.ofSeconds(5)).getFirst(), is(messageId));
    }
}
