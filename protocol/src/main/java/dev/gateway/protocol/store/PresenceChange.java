package dev.gateway.protocol.store;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A user's presence transition, published on {@link RedisKeys#PRESENCE_CHANNEL} by the Lua script that observed
 * it, so that exactly one message exists per transition whichever node (or gatewayctl) caused it.
 *
 * @param type      {@code online} or {@code offline}
 * @param timestamp ISO-8601 UTC
 * @param reason    for offline: {@code disconnected} or {@code expired}
 * @param rooms     for offline: the chat rooms the user's last socket had joined (their members are told too)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record PresenceChange(String type, String userId, String timestamp, String reason, List<String> rooms) {
    public static final String ONLINE = "online";
    public static final String OFFLINE = "offline";
    public static final String DISCONNECTED = "disconnected";
    public static final String EXPIRED = "expired";

    public static PresenceChange online(String userId, String timestamp) {
        return new PresenceChange(ONLINE, userId, timestamp, null, List.of());
    }

    public static PresenceChange offline(String userId, String timestamp, String reason, List<String> rooms) {
        return new PresenceChange(OFFLINE, userId, timestamp, reason, rooms);
    }

    @JsonIgnore
    public boolean isOnline() {
        return ONLINE.equals(type);
    }
}
