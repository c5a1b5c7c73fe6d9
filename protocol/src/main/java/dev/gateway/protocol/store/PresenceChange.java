package dev.gateway.protocol.store;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.gateway.protocol.event.OfflineReason;

/**
 * A user's presence transition, published on {@link RedisKeys#PRESENCE_CHANNEL} by the Lua script that observed
 * it, so that exactly one message exists per transition whichever node (or gatewayctl) caused it.
 *
 * @param timestamp ISO-8601 UTC
 * @param reason    for offline: why
 * @param rooms     for offline: the chat rooms the user's last socket had joined (their members are told too)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record PresenceChange(Type type, String userId, String timestamp, OfflineReason reason, List<String> rooms) {

    /** The transition, spelled {@code online} or {@code offline} on the channel. */
    public enum Type {
        @JsonProperty("online") ONLINE,
        @JsonProperty("offline") OFFLINE
    }

    public static PresenceChange online(String userId, String timestamp) {
        return new PresenceChange(Type.ONLINE, userId, timestamp, null, List.of());
    }

    public static PresenceChange offline(String userId, String timestamp, OfflineReason reason, List<String> rooms) {
        return new PresenceChange(Type.OFFLINE, userId, timestamp, reason, rooms);
    }

    @JsonIgnore
    public boolean isOnline() {
        return type == Type.ONLINE;
    }
}
