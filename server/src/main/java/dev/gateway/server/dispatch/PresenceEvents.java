package dev.gateway.server.dispatch;

import java.util.List;
import java.util.Map;

import dev.gateway.protocol.event.ErrorCode;
import dev.gateway.protocol.event.ProtocolException;
import dev.gateway.server.auth.AuthenticationException;
import dev.gateway.server.auth.Principal;
import dev.gateway.server.auth.TokenVerifier;
import dev.gateway.server.presence.PresenceService;

/** The presence and session events of PROTOCOL section 4, mapped to service calls. */
public final class PresenceEvents {
    /** Most user ids one {@code presence:subscribe} may name. */
    static final int MAX_SUBSCRIBE = 500;
    private static final long REFRESH_SKEW_SECONDS = 5;

    private final PresenceService presence;
    private final TokenVerifier verifier;

    public PresenceEvents(PresenceService presence, TokenVerifier verifier) {
        this.presence = presence;
        this.verifier = verifier;
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
        router.on("auth:refresh", (client, data) -> {
            String token = Fields.requiredString(data, "token", TokenVerifier.MAX_TOKEN_LENGTH);
            Principal refreshed;
            try {
                refreshed = verifier.verify(token, REFRESH_SKEW_SECONDS);
            } catch (AuthenticationException e) {
                throw new ProtocolException(ErrorCode.UNAUTHORIZED, e.getMessage());
            }
            if (!refreshed.userId().equals(client.userId())) {
                throw new ProtocolException(ErrorCode.UNAUTHORIZED, "token is for another user");
            }
            client.principal(refreshed);
            return Map.of("exp", refreshed.expiresAt().getEpochSecond());
        });
    }
}
