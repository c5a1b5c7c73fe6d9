package dev.gateway.server.dispatch;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gateway.protocol.event.ProtocolException;
import dev.gateway.protocol.store.ChatStore;
import dev.gateway.protocol.store.MessageId;
import dev.gateway.server.chat.ChatService;

/** The chat events of PROTOCOL section 4, validated and mapped to {@link ChatService} calls. */
public final class ChatEvents {
    private static final int MAX_MESSAGE_ID = 64;
    private static final int MAX_CONTENT = 4000;
    private static final int MAX_CLIENT_MSG_ID = 64;
    private static final int MAX_TYPE = 32;
    private static final int DEFAULT_HISTORY = 50;

    private final ChatService chat;

    public ChatEvents(ChatService chat) {
        this.chat = chat;
    }

    public void register(EventRouter router) {
        router.on("chat:join", (client, data) -> {
            String chatId = Fields.requiredId(data, "chatId");
            Optional<MessageId> sinceId = messageId(data, "sinceId", false);
            if (sinceId.isPresent() && sinceId.get().equals(MessageId.MAX)) {
                throw ProtocolException.validation("sinceId", "must be below " + MessageId.MAX + " (no message follows it)");
            }
            ChatService.Joined joined = chat.join(client, chatId, sinceId.map(MessageId::toString));
            Map<String, Object> ack = new LinkedHashMap<>();
            joined.missed().ifPresent(since -> {
                ack.put("missed", since.messages());
                ack.put("hasMore", since.hasMore());
                ack.put("recovered", since.recovered());
            });
            return ack;
        });
        router.on("chat:leave", (client, data) -> {
            chat.leave(client, Fields.requiredId(data, "chatId"));
            return Map.of();
        });
        router.on("chat:send", (client, data) -> {
            Optional<String> clientMsgId = Fields.optionalString(data, "clientMsgId", MAX_CLIENT_MSG_ID);
            String chatId = Fields.requiredId(data, "chatId");
            String content = Fields.requiredString(data, "content", MAX_CONTENT);
            String type = Fields.optionalString(data, "type", MAX_TYPE).orElse("text");
            ChatStore.Stored stored = chat.send(client, chatId, content, type, clientMsgId);
            Map<String, Object> ack = new LinkedHashMap<>();
            ack.put("status", "ACCEPTED");
            ack.put("messageId", stored.messageId());
            ack.put("clientMsgId", clientMsgId.orElse(null));
            ack.put("createdAt", stored.createdAt());
            return ack;
        }, data -> {
            Map<String, Object> failed = new LinkedHashMap<>();
            failed.put("status", "FAILED");
            failed.put("clientMsgId", rawClientMsgId(data));
            return failed;
        });
        router.on("chat:typing", (client, data) -> {
            chat.typing(client, Fields.requiredId(data, "chatId"), Fields.requiredBoolean(data, "isTyping"));
            return Map.of();
        });
        router.on("chat:read", (client, data) -> {
            String chatId = Fields.requiredId(data, "chatId");
            chat.read(client, chatId, messageId(data, "messageId", true).orElseThrow().toString());
            return Map.of();
        });
        router.on("chat:history", (client, data) -> {
            String chatId = Fields.requiredId(data, "chatId");
            Optional<MessageId> beforeId = messageId(data, "beforeId", false);
            if (beforeId.isPresent() && beforeId.get().equals(MessageId.MIN)) {
                throw ProtocolException.validation("beforeId", "must be above " + MessageId.MIN + " (no message precedes it)");
            }
            int limit = Fields.optionalInt(data, "limit").orElse(DEFAULT_HISTORY);
            if (limit < 1) {
                throw ProtocolException.validation("limit", "must be at least 1");
            }
            return Map.of("messages", chat.history(client, chatId, beforeId.map(MessageId::toString),
                                                   Math.min(limit, ChatService.PAGE)));
        });
    }

    /** A message id of client input: of the form and in the range of stream ids, else VALIDATION naming the field. */
    private static Optional<MessageId> messageId(JsonNode data, String field, boolean required) {
        Optional<String> value = required ? Optional.of(Fields.requiredString(data, field, MAX_MESSAGE_ID))
                                          : Fields.optionalString(data, field, MAX_MESSAGE_ID);
        return value.map(text -> MessageId.parse(text).orElseThrow(
                () -> ProtocolException.validation(field, "must be a message id such as 1732240000000-0 (two integers below 2^64)")));
    }

    private static String rawClientMsgId(JsonNode data) {
        JsonNode node = data.get("clientMsgId");
        return node != null && node.isTextual() ? node.asText() : null;
    }
}
