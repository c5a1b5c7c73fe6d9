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
}
