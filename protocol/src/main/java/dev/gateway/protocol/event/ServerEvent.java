package dev.gateway.protocol.event;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * Server-to-client events of PROTOCOL section 4. Each record is the {@code data} of its frame;
 * {@link #event()} is the frame's {@code event} name.
 */
public sealed interface ServerEvent {

    @JsonIgnore
    String event();

    /** First frame on every socket. */
    record Connected(String socketId, String userId, String serverId, long heartbeatIntervalMs, long presenceTtlMs)
            implements ServerEvent {
        @Override
        public String event() {
            return "connected";
        }
    }

    /** Second frame on every socket: the online users this socket may see. */
    record BulkOnline(List<String> users) implements ServerEvent {
        @Override
        public String event() {
            return "presence:bulk-online";
        }
    }

    /** A user went from zero live sockets to one. */
    record PresenceOnline(String userId, String timestamp) implements ServerEvent {
        @Override
        public String event() {
            return "presence:online";
        }
    }

    /** A user's last socket closed ({@code disconnected}) or lapsed ({@code expired}). */
    record PresenceOffline(String userId, String timestamp, OfflineReason reason) implements ServerEvent {
        @Override
        public String event() {
            return "presence:offline";
        }
    }

    /** A failure reported without an ack id. */
    record Error(String code, String message) implements ServerEvent {
        public Error(ErrorCode code, String message) {
            this(code.name(), message);
        }

        @Override
        public String event() {
            return "error";
        }
    }

    /** A stored chat message, to every member of its room. */
    record ChatMessage(String id, String chatId, String senderId, String content, String type, String clientMsgId,
                       String createdAt) implements ServerEvent {
        @Override
        public String event() {
            return "chat:message";
        }
    }

    /** Someone in the room started or stopped typing. */
    record ChatTyping(String chatId, String userId, boolean isTyping) implements ServerEvent {
        @Override
        public String event() {
            return "chat:typing";
        }
    }

    /** Someone in the room read up to a message. */
    record ChatRead(String chatId, String userId, String messageId) implements ServerEvent {
        @Override
        public String event() {
            return "chat:read";
        }
    }

    /** A user's first socket joined the room. */
    record UserJoined(String chatId, String userId) implements ServerEvent {
        @Override
        public String event() {
            return "chat:user-joined";
        }
    }

    /** A user's last socket left the room (closing counts as leaving). */
    record UserLeft(String chatId, String userId) implements ServerEvent {
        @Override
        public String event() {
            return "chat:user-left";
        }
    }
}
