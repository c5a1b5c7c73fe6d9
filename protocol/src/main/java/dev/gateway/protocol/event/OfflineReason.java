package dev.gateway.protocol.event;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Why a user went offline, as {@code presence:offline}, the {@code gw:presence} message and the event stream's
 * {@code user.offline} spell it ({@code disconnected}, {@code expired}).
 */
public enum OfflineReason {
    /** The user's last socket closed, for whatever reason other than a lapsed heartbeat. */
    @JsonProperty("disconnected")
    DISCONNECTED,
    /** The user's presence lapsed: no {@code presence:ping} within the TTL, or the node holding it died. */
    @JsonProperty("expired")
    EXPIRED
}
