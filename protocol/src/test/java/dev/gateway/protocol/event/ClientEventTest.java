package dev.gateway.protocol.event;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gateway.protocol.event.ClientEvent.AuthRefresh;
import dev.gateway.protocol.event.ClientEvent.ChatHistory;
import dev.gateway.protocol.event.ClientEvent.ChatJoin;
import dev.gateway.protocol.event.ClientEvent.ChatLeave;
import dev.gateway.protocol.event.ClientEvent.ChatRead;
import dev.gateway.protocol.event.ClientEvent.ChatSend;
import dev.gateway.protocol.event.ClientEvent.ChatTyping;
import dev.gateway.protocol.event.ClientEvent.PresencePing;
import dev.gateway.protocol.event.ClientEvent.PresenceSubscribe;
import dev.gateway.protocol.event.ClientEvent.PresenceUnsubscribe;
import dev.gateway.protocol.store.MessageId;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ClientEventTest {
    private static final ObjectMapper MAPPER = Json.mapper();

    private static ClientEvent decode(String event, String data) throws Exception {
        return ClientEvent.decode(event, MAPPER.readTree(data)).orElseThrow();
    }

    private static ProtocolException refused(String event, String data) throws Exception {
        JsonNode node = MAPPER.readTree(data);
        ProtocolException e = assertThrows(ProtocolException.class, () -> ClientEvent.decode(event, node));
        assertThat(e.code(), is(ErrorCode.VALIDATION));
        return e;
    }

    @Test
    void decodesEveryChatEvent() throws Exception {
        assertThat(decode("chat:join", "{\"chatId\":\"c1\",\"sinceId\":\"5-0\"}"),
                   is(new ChatJoin("c1", MessageId.parse("5-0"))));
        assertThat(decode("chat:join", "{\"chatId\":\"c1\"}"), is(new ChatJoin("c1", Optional.empty())));
        assertThat(decode("chat:leave", "{\"chatId\":\"c1\"}"), is(new ChatLeave("c1")));
        assertThat(decode("chat:send", "{\"chatId\":\"c1\",\"content\":\"hi\",\"clientMsgId\":\"m1\"}"),
                   is(new ChatSend("c1", "hi", "text", Optional.of("m1"))));
        assertThat(decode("chat:typing", "{\"chatId\":\"c1\",\"isTyping\":true}"), is(new ChatTyping("c1", true)));
        assertThat(decode("chat:read", "{\"chatId\":\"c1\",\"messageId\":\"7-1\"}"),
                   is(new ChatRead("c1", MessageId.parse("7-1").orElseThrow())));
        assertThat(decode("chat:history", "{\"chatId\":\"c1\"}"),
                   is(new ChatHistory("c1", Optional.empty(), ChatHistory.DEFAULT_LIMIT)));
    }

    @Test
    void decodesPresenceAndAuthEvents() throws Exception {
        assertThat(decode("presence:ping", "{}"), is(new PresencePing()));
        assertThat(decode("presence:subscribe", "{\"userIds\":[\"a\",\"b\"]}"), is(new PresenceSubscribe(List.of("a", "b"))));
        assertThat(decode("presence:unsubscribe", "{\"userIds\":[]}"), is(new PresenceUnsubscribe(List.of())));
        assertThat(decode("auth:refresh", "{\"token\":\"x.y.z\"}"), is(new AuthRefresh("x.y.z")));
    }

    @Test
    void anUnknownNameIsNoEvent() throws Exception {
        assertThat(ClientEvent.decode("chat:shout", MAPPER.readTree("{}")), is(Optional.empty()));
    }

    @Test
    void eachBadFieldIsRefusedWithItsNameAndRule() throws Exception {
        assertThat(refused("chat:join", "{}").getMessage(), is("chatId is required"));
        assertThat(refused("chat:join", "{\"chatId\":\"a b\"}").getMessage(), is("chatId must be " + Identifiers.RULE));
        assertThat(refused("chat:join", "{\"chatId\":\"c\",\"sinceId\":\"x\"}").getMessage(),
                   is("sinceId must be a message id such as 1732240000000-0 (two integers below 2^64)"));
        assertThat(refused("chat:send", "{\"chatId\":\"c\",\"content\":\"\"}").getMessage(), is("content must not be empty"));
        assertThat(refused("chat:send", "{\"chatId\":\"c\",\"content\":\"" + "x".repeat(ChatSend.MAX_CONTENT + 1) + "\"}")
                           .getMessage(), is("content must be at most 4000 characters"));
        assertThat(refused("chat:send", "{\"clientMsgId\":5,\"chatId\":\"c\",\"content\":\"x\"}").getMessage(),
                   is("clientMsgId must be a string"));
        assertThat(refused("chat:typing", "{\"chatId\":\"c\",\"isTyping\":\"yes\"}").getMessage(), is("isTyping must be a boolean"));
        assertThat(refused("chat:read", "{\"chatId\":\"c\"}").getMessage(), is("messageId is required"));
        assertThat(refused("chat:history", "{\"chatId\":\"c\",\"limit\":0}").getMessage(), is("limit must be at least 1"));
        assertThat(refused("chat:history", "{\"chatId\":\"c\",\"limit\":1.5}").getMessage(), is("limit must be an integer"));
        assertThat(refused("presence:subscribe", "{\"userIds\":\"a\"}").getMessage(), is("userIds must be an array of user ids"));
        assertThat(refused("presence:subscribe", "{\"userIds\":[\"a b\"]}").getMessage(),
                   is("userIds must hold ids of " + Identifiers.RULE));
        assertThat(refused("auth:refresh", "{}").getMessage(), is("token is required"));
    }

    @Test
    void theRawClientMsgIdOfARefusedSendIsKeptForItsFailedAck() throws Exception {
        assertThat(ChatSend.rawClientMsgId(MAPPER.readTree("{\"clientMsgId\":\"m1\",\"content\":5}")), is(Optional.of("m1")));
        assertThat(ChatSend.rawClientMsgId(MAPPER.readTree("{\"clientMsgId\":5}")), is(Optional.empty()));
    }
}
