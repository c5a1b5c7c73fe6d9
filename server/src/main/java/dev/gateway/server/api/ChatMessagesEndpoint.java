package dev.gateway.server.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gateway.protocol.store.ChatStore;
import dev.gateway.server.chat.ChatService;

/**
 * {@code POST /api/v1/chats/{chatId}/messages} stores and delivers a message from {@code senderId} exactly as an
 * accepted {@code chat:send} (the same service call and Redis script: stored first, then published to the room in
 * stream order, idempotent per clientMsgId); {@code GET} pages the history as {@code chat:history}. A backend is
 * trusted to speak for its users: neither needs the sender connected, nor checks {@code CHAT_MEMBERSHIP}.
 */
final class ChatMessagesEndpoint {
    private final ChatService chat;
    private final ChatStore store;

    ChatMessagesEndpoint(ChatService chat, ChatStore store) {
        this.chat = chat;
        this.store = store;
    }

    ApiReply send(ApiRequest request) {
        String chatId = ApiFields.id("chatId", request.path("chatId"));
        JsonNode body = request.body();
        String senderId = ApiFields.id(body, "senderId");
        String content = ApiFields.requiredString(body, "content", ApiFields.MAX_CONTENT);
        String type = ApiFields.optionalString(body, "type", ApiFields.MAX_TYPE).orElse("text");
        Optional<String> clientMsgId = ApiFields.optionalString(body, "clientMsgId", ApiFields.MAX_CLIENT_MSG_ID);
        ChatStore.Stored stored = chat.sendAs(senderId, chatId, content, type, clientMsgId);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("messageId", stored.messageId());
        answer.put("clientMsgId", clientMsgId.orElse(null));
        answer.put("createdAt", stored.createdAt());
        return ApiReply.ok(answer);
    }

    ApiReply history(ApiRequest request) {
        String chatId = ApiFields.id("chatId", request.path("chatId"));
        Optional<String> beforeId = ApiFields.beforeId(request.query("beforeId"));
        int limit = ApiFields.limit(request.query("limit"), ApiFields.DEFAULT_HISTORY, ApiFields.MAX_HISTORY);
        return ApiReply.ok(Map.of("messages", store.history(chatId, beforeId, limit)));
    }
}
