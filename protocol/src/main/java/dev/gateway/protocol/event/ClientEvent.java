package dev.gateway.protocol.event;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gateway.protocol.store.MessageId;

/**
 * The events a client sends (PROTOCOL section 4), decoded and validated here once, whichever wire format brought
 * them (native JSON or Socket.IO): a handler receives a record whose fields already hold the contract's rules.
 * A refused field is a {@link ProtocolException} with code {@code VALIDATION} naming it.
 */
public sealed interface ClientEvent {

    /**
     * Decodes the data of the event named {@code event}.
     *
     * @return empty when no client event has that name
     * @throws ProtocolException when a field breaks the contract (the first such field, in the order of the record)
     */
    static Optional<ClientEvent> decode(String event, JsonNode data) {
        return Optional.ofNullable(switch (event) {
            case ChatJoin.NAME -> ChatJoin.decode(data);
            case ChatLeave.NAME -> new ChatLeave(EventFields.requiredId(data, "chatId"));
            case ChatSend.NAME -> ChatSend.decode(data);
            case ChatTyping.NAME -> new ChatTyping(EventFields.requiredId(data, "chatId"),
                                                   EventFields.requiredBoolean(data, "isTyping"));
            case ChatRead.NAME -> new ChatRead(EventFields.requiredId(data, "chatId"),
                                               messageId(data, "messageId", true).orElseThrow());
            case ChatHistory.NAME -> ChatHistory.decode(data);
            case PresencePing.NAME -> new PresencePing();
            case PresenceSubscribe.NAME -> new PresenceSubscribe(
                    EventFields.requiredIds(data, "userIds", PresenceSubscribe.MAX_USER_IDS));
            case PresenceUnsubscribe.NAME -> new PresenceUnsubscribe(
                    EventFields.requiredIds(data, "userIds", PresenceSubscribe.MAX_USER_IDS));
            case AuthRefresh.NAME -> new AuthRefresh(EventFields.requiredString(data, "token", AuthRefresh.MAX_TOKEN_LENGTH));
            default -> null;
        });
    }

    /** {@code chat:join}: join a chat's room, optionally recovering the messages after {@code sinceId}. */
    record ChatJoin(String chatId, Optional<MessageId> sinceId) implements ClientEvent {
        public static final String NAME = "chat:join";

        static ChatJoin decode(JsonNode data) {
            String chatId = EventFields.requiredId(data, "chatId");
            Optional<MessageId> sinceId = messageId(data, "sinceId", false);
            if (sinceId.isPresent() && sinceId.get().equals(MessageId.MAX)) {
                throw ProtocolException.validation("sinceId", "must be below " + MessageId.MAX + " (no message follows it)");
            }
            return new ChatJoin(chatId, sinceId);
        }
    }

    /** {@code chat:leave}. */
    record ChatLeave(String chatId) implements ClientEvent {
        public static final String NAME = "chat:leave";
    }

    /** {@code chat:send}: a message to store and deliver; {@code type} defaults to {@code text}. */
    record ChatSend(String chatId, String content, String type, Optional<String> clientMsgId) implements ClientEvent {
        public static final String NAME = "chat:send";
        public static final int MAX_CONTENT = 4000;
        public static final int MAX_CLIENT_MSG_ID = 64;
        public static final int MAX_TYPE = 32;

        static ChatSend decode(JsonNode data) {
            Optional<String> clientMsgId = EventFields.optionalString(data, "clientMsgId", MAX_CLIENT_MSG_ID);
            String chatId = EventFields.requiredId(data, "chatId");
            String content = EventFields.requiredString(data, "content", MAX_CONTENT);
            String type = EventFields.optionalString(data, "type", MAX_TYPE).orElse("text");
            return new ChatSend(chatId, content, type, clientMsgId);
        }

        /**
         * The {@code clientMsgId} of a {@code chat:send} as sent, valid or not, for its failed ack (which always names
         * it when it was a string).
         */
        public static Optional<String> rawClientMsgId(JsonNode data) {
            JsonNode node = data.get("clientMsgId");
            return node != null && node.isTextual() ? Optional.of(node.asText()) : Optional.empty();
        }
    }

    /** {@code chat:typing}. */
    record ChatTyping(String chatId, boolean isTyping) implements ClientEvent {
        public static final String NAME = "chat:typing";
    }

    /** {@code chat:read}: the user read the chat up to {@code messageId}. */
    record ChatRead(String chatId, MessageId messageId) implements ClientEvent {
        public static final String NAME = "chat:read";
    }

    /** {@code chat:history}: up to {@code limit} messages before {@code beforeId} (the newest when absent). */
    record ChatHistory(String chatId, Optional<MessageId> beforeId, int limit) implements ClientEvent {
        public static final String NAME = "chat:history";
        /** The page size when the client names none. */
        public static final int DEFAULT_LIMIT = 50;

        static ChatHistory decode(JsonNode data) {
            String chatId = EventFields.requiredId(data, "chatId");
            Optional<MessageId> beforeId = messageId(data, "beforeId", false);
            if (beforeId.isPresent() && beforeId.get().equals(MessageId.MIN)) {
                throw ProtocolException.validation("beforeId", "must be above " + MessageId.MIN + " (no message precedes it)");
            }
            int limit = EventFields.optionalInt(data, "limit").orElse(DEFAULT_LIMIT);
            if (limit < 1) {
                throw ProtocolException.validation("limit", "must be at least 1");
            }
            return new ChatHistory(chatId, beforeId, limit);
        }
    }

    /** {@code presence:ping}: the socket is alive. */
    record PresencePing() implements ClientEvent {
        public static final String NAME = "presence:ping";
    }

    /** {@code presence:subscribe}: follow these users' presence. */
    record PresenceSubscribe(List<String> userIds) implements ClientEvent {
        public static final String NAME = "presence:subscribe";
        /** Most user ids one {@code presence:subscribe} or {@code presence:unsubscribe} may name. */
        public static final int MAX_USER_IDS = 500;
    }

    /** {@code presence:unsubscribe}. */
    record PresenceUnsubscribe(List<String> userIds) implements ClientEvent {
        public static final String NAME = "presence:unsubscribe";
    }

    /** {@code auth:refresh}: replace the socket's token. */
    record AuthRefresh(String token) implements ClientEvent {
        public static final String NAME = "auth:refresh";
        /** Largest token accepted, in characters (PROTOCOL section 2), here and at the handshake. */
        public static final int MAX_TOKEN_LENGTH = 8192;
    }

    /** Longest message id a client may send. */
    int MAX_MESSAGE_ID = 64;

    /** A message id of client input: of the form and in the range of stream ids, else VALIDATION naming the field. */
    private static Optional<MessageId> messageId(JsonNode data, String field, boolean required) {
        Optional<String> value = required ? Optional.of(EventFields.requiredString(data, field, MAX_MESSAGE_ID))
                                          : EventFields.optionalString(data, field, MAX_MESSAGE_ID);
        return value.map(text -> MessageId.parse(text).orElseThrow(
                () -> ProtocolException.validation(field, "must be a message id such as 1732240000000-0 (two integers below 2^64)")));
    }
}
