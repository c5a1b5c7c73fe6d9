package dev.gateway.protocol.event;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Why a user went offline, as {@code presence:offline}, the {@code gw:presence} message and the event stream's
 * {@code user.offline} spell it ({@code disconnected}, {@code expired}).
 */
public enum OfflineReason {
    /** The user's last socket closed, for whatever reason other than a lapsed heartbeat. */
    DISCONNECTED,
    /** The user's presence lapsed: no {@code presence:ping} within the TTL, or the node holding it died. */
    EXPIRED;

    /** The contract's spelling. */
    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
