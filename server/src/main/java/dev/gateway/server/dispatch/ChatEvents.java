package dev.gateway.server.dispatch;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.gateway.protocol.event.ClientEvent;
import dev.gateway.protocol.event.ClientEvent.ChatHistory;
import dev.gateway.protocol.event.ClientEvent.ChatJoin;
import dev.gateway.protocol.event.ClientEvent.ChatLeave;
import dev.gateway.protocol.event.ClientEvent.ChatRead;
import dev.gateway.protocol.event.ClientEvent.ChatSend;
import dev.gateway.protocol.event.ClientEvent.ChatTyping;
import dev.gateway.protocol.store.ChatStore;
import dev.gateway.protocol.store.MessageId;
import dev.gateway.server.chat.ChatService;

/** The chat events of PROTOCOL section 4 (decoded and validated in {@link ClientEvent}), mapped to {@link ChatService} calls. */
public final class ChatEvents {
    private final ChatService chat;

    public ChatEvents(ChatService chat) {
        this.chat = chat;
    }

    public void register(EventRouter router) {
        router.on(ChatJoin.class, (client, join) -> {
            ChatService.Joined joined = chat.join(client, join.chatId(), join.sinceId().map(MessageId::toString));
            Map<String, Object> ack = new LinkedHashMap<>();
            joined.missed().ifPresent(since -> {
                ack.put("missed", since.messages());
                ack.put("hasMore", since.hasMore());
                ack.put("recovered", since.recovered());
            });
            return ack;
        });
        router.on(ChatLeave.class, (client, leave) -> {
            chat.leave(client, leave.chatId());
            return Map.of();
        });
        router.on(ChatSend.class, (client, send) -> {
            ChatStore.Stored stored = chat.send(client, send.chatId(), send.content(), send.type(), send.clientMsgId());
            Map<String, Object> ack = new LinkedHashMap<>();
            ack.put("status", "ACCEPTED");
            ack.put("messageId", stored.messageId());
            ack.put("clientMsgId", send.clientMsgId().orElse(null));
            ack.put("createdAt", stored.createdAt());
            return ack;
        });
        router.failureAckFields(ChatSend.NAME, data -> {
            Map<String, Object> failed = new LinkedHashMap<>();
            failed.put("status", "FAILED");
            failed.put("clientMsgId", ChatSend.rawClientMsgId(data).orElse(null));
            return failed;
        });
        router.on(ChatTyping.class, (client, typing) -> {
            chat.typing(client, typing.chatId(), typing.isTyping());
            return Map.of();
        });
        router.on(ChatRead.class, (client, read) -> {
            chat.read(client, read.chatId(), read.messageId().toString());
            return Map.of();
        });
        router.on(ChatHistory.class, (client, history) ->
                Map.of("messages", chat.history(client, history.chatId(), history.beforeId().map(MessageId::toString),
                                                Math.min(history.limit(), ChatService.PAGE))));
    }
}
