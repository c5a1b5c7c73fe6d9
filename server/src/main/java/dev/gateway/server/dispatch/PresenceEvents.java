package dev.gateway.server.dispatch;

import java.util.List;
import java.util.Map;

import dev.gateway.protocol.event.ClientEvent.PresencePing;
import dev.gateway.protocol.event.ClientEvent.PresenceSubscribe;
import dev.gateway.protocol.event.ClientEvent.PresenceUnsubscribe;
import dev.gateway.server.presence.PresenceService;

/** The presence events of PROTOCOL section 4, mapped to service calls. */
public final class PresenceEvents {

    private final PresenceService presence;

    public PresenceEvents(PresenceService presence) {
        this.presence = presence;
    }

    public void register(EventRouter router) {
        router.on(PresencePing.class, (client, ping) -> {
            presence.ping(client);
            return Map.of();
        });
        router.on(PresenceSubscribe.class, (client, subscribe) -> {
            List<String> online = presence.subscribe(client, subscribe.userIds());
            return Map.of("online", online);
        });
        router.on(PresenceUnsubscribe.class, (client, unsubscribe) -> {
            presence.unsubscribe(client, unsubscribe.userIds());
            return Map.of();
        });
    }
}
