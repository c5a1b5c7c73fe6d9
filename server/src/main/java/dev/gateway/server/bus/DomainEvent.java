package dev.gateway.server.bus;

/**
 * What services announce on the {@link EventBus}: facts of the domain, not frames. Listeners decide who hears of
 * them and how (Client → Gateway → Service → EventBus → Listener → WebSocket).
 */
public sealed interface DomainEvent {

    /** A user went from no live socket to one (on any node). */
    record UserOnline(String userId, String timestamp) implements DomainEvent {
    }

    /**
     * A user's last live socket ended (on any node).
     *
     * @param reason {@code disconnected} or {@code expired}
     * @param rooms  chat rooms the last socket had joined
     */
    record UserOffline(String userId, String timestamp, String reason, java.util.List<String> rooms) implements DomainEvent {
    }

    /** A message was stored (and published to its room by the same Redis script, which fixes its order). */
    record MessageCreated(String chatId, String messageId, String senderId, String createdAt) implements DomainEvent {
    }

    /** A socket's user started or stopped typing in a chat. */
    record Typing(String chatId, String userId, String socketId, boolean isTyping) implements DomainEvent {
    }

    /** A user read a chat up to a message. */
    record Read(String chatId, String userId, String messageId) implements DomainEvent {
    }
}
