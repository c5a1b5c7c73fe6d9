package dev.gateway.server.dispatch;

import java.util.List;
import java.util.Map;

import dev.gateway.server.presence.PresenceService;

/** The presence events of PROTOCOL section 4, mapped to service calls. */
public final class PresenceEvents {
    /** Most user ids one {@code presence:subscribe} may name. */
    static final int MAX_SUBSCRIBE = 500;

    private final PresenceService presence;

    public PresenceEvents(PresenceService presence) {
        this.presence = presence;
    }

    public void register(EventRouter router) {
        router.on("presence:ping", (client, data) -> {
            presence.ping(client);
            return Map.of();
        });
        router.on("presence:subscribe", (client, data) -> {
            List<String> online = presence.subscribe(client, Fields.requiredIds(data, "userIds", MAX_SUBSCRIBE));
            return Map.of("online", online);
        });
        router.on("presence:unsubscribe", (client, data) -> {
            presence.unsubscribe(client, Fields.requiredIds(data, "userIds", MAX_SUBSCRIBE));
            return Map.of();
        });
    }
}
