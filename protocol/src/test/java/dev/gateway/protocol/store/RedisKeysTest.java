package dev.gateway.protocol.store;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.sameInstance;

class RedisKeysTest {

    @Test
    void aValueWithoutColonOrPercentIsReturnedAsItIs() {
        String value = "alice.b@example-1_x";

        assertThat(RedisKeys.escape(value), is(sameInstance(value)));
    }

    @Test
    void aColonIsWrittenPercent3A() {
        assertThat(RedisKeys.escape("google-oauth2:123"), is("google-oauth2%3A123"));
        assertThat(RedisKeys.escape("dm:alice:bob"), is("dm%3Aalice%3Abob"));
        assertThat(RedisKeys.escape(":"), is("%3A"));
    }

    @Test
    void aPercentIsWrittenPercent25() {
        assertThat(RedisKeys.escape("100%"), is("100%25"));
        assertThat(RedisKeys.escape("%"), is("%25"));
    }

    @Test
    void anEscapeSequenceInTheValueIsEscapedInTurn() {
        assertThat(RedisKeys.escape("a%3Ab"), is("a%253Ab"));
        assertThat(RedisKeys.escape("a%3Ab"), is(not(RedisKeys.escape("a:b"))));
    }

    @Test
    void anEmptyValueStaysEmpty() {
        assertThat(RedisKeys.escape(""), is(""));
    }

    @Test
    void noTwoDifferentValuesEscapeAlike() {
        List<String> values = List.of("u1", "u1:x", "u1%3Ax", "u1%x", "u1%253Ax", "%", "%25", ":", "%3A", "::", "%3A%3A",
                                      "a:b:c", "a%3Ab:c", "a:b%3Ac", "a%3Ab%3Ac");
        Set<String> escaped = new HashSet<>();
        for (String value : values) {
            escaped.add(RedisKeys.escape(value));
        }

        assertThat(escaped.size(), is(values.size()));
    }

    @Test
    void idsWithoutColonOrPercentKeepTheNamesOfSection6() {
        assertThat(RedisKeys.connection("s1"), is("ws:connection:s1"));
        assertThat(RedisKeys.userConnections("alice"), is("ws:user:alice:connections"));
        assertThat(RedisKeys.deviceConnections("alice", "phone"), is("ws:user:alice:device:phone:connections"));
        assertThat(RedisKeys.presence("alice"), is("presence:user:alice"));
        assertThat(RedisKeys.PRESENCE_ONLINE, is("presence:online"));
        assertThat(RedisKeys.node("node-a"), is("ws:node:node-a"));
        assertThat(RedisKeys.nodeConnections("node-a"), is("ws:node:node-a:connections"));
        assertThat(RedisKeys.chatMessages("c1"), is("chat:c1:messages"));
        assertThat(RedisKeys.chatClientMessage("c1", "alice", "m-1"), is("chat:c1:client-msg:alice:m-1"));
        assertThat(RedisKeys.chatMembers("c1"), is("chat:c1:members"));
        assertThat(RedisKeys.contacts("alice"), is("presence:contacts:alice"));
        assertThat(RedisKeys.roomChannel(Rooms.chat("c1")), is("gw:room:chat:c1"));
        assertThat(RedisKeys.roomChannel(Rooms.user("alice")), is("gw:room:user:alice"));
        assertThat(RedisKeys.nodeChannel("node-a"), is("gw:node:node-a"));
    }

    @Test
    void everyValueIsEscapedInEveryKeyAndChannelName() {
        assertThat(RedisKeys.connection("s:1"), is("ws:connection:s%3A1"));
        assertThat(RedisKeys.userConnections("google-oauth2:123"), is("ws:user:google-oauth2%3A123:connections"));
        assertThat(RedisKeys.deviceConnections("a:b", "c:d"), is("ws:user:a%3Ab:device:c%3Ad:connections"));
        assertThat(RedisKeys.presence("a:b"), is("presence:user:a%3Ab"));
        assertThat(RedisKeys.node("n:1"), is("ws:node:n%3A1"));
        assertThat(RedisKeys.nodeConnections("n:1"), is("ws:node:n%3A1:connections"));
        assertThat(RedisKeys.chatMessages("dm:alice:bob"), is("chat:dm%3Aalice%3Abob:messages"));
        assertThat(RedisKeys.chatClientMessage("dm:a:b", "u:1", "x:m1"), is("chat:dm%3Aa%3Ab:client-msg:u%3A1:x%3Am1"));
        assertThat(RedisKeys.chatUsers("dm:a:b"), is("chat:dm%3Aa%3Ab:users"));
        assertThat(RedisKeys.chatMembers("dm:a:b"), is("chat:dm%3Aa%3Ab:members"));
        assertThat(RedisKeys.socketChats("s:1"), is("ws:connection-chats:s%3A1"));
        assertThat(RedisKeys.contacts("a:b"), is("presence:contacts:a%3Ab"));
        assertThat(RedisKeys.roomChannel(Rooms.chat("dm:alice:bob")), is("gw:room:chat:dm%3Aalice%3Abob"));
        assertThat(RedisKeys.roomChannel(Rooms.user("a:b")), is("gw:room:user:a%3Ab"));
        assertThat(RedisKeys.roomChannel(Rooms.role("r:1")), is("gw:room:role:r%3A1"));
        assertThat(RedisKeys.nodeChannel("n:1"), is("gw:node:n%3A1"));
    }

    @Test
    void aUserWithColonsInItsIdNeverSharesAKeyWithAnotherUsersDevice() {
        assertThat(RedisKeys.userConnections("X:device:d1"), is(not(RedisKeys.deviceConnections("X", "d1"))));
    }

    @Test
    void aClientMsgIdWithAColonNeverSharesAKeyWithAnotherUsersClientMsgId() {
        assertThat(RedisKeys.chatClientMessage("c1", "u1", "x:m1"), is(not(RedisKeys.chatClientMessage("c1", "u1:x", "m1"))));
    }

    @Test
    void aChatIdWithAColonNeverSharesAKeyWithAnotherChatsKeys() {
        assertThat(RedisKeys.chatMessages("a:members"), is(not(RedisKeys.chatMembers("a"))));
        assertThat(RedisKeys.chatUsers("a:client-msg:u"), is(not(RedisKeys.chatClientMessage("a", "u", "users"))));
    }

    @Test
    void roomsOfChatsAreToldApartFromOtherRooms() {
        assertThat(Rooms.isChat(Rooms.chat("dm:a:b")), is(true));
        assertThat(Rooms.isChat(Rooms.user("chat")), is(false));
        assertThat(Rooms.isChat(Rooms.role("chat:x")), is(false));
    }
}
