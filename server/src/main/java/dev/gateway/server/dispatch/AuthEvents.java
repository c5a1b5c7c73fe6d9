package dev.gateway.server.dispatch;

import java.util.Map;

import dev.gateway.protocol.event.ClientEvent.AuthRefresh;
import dev.gateway.protocol.event.ErrorCode;
import dev.gateway.protocol.event.ProtocolException;
import dev.gateway.server.auth.AuthenticationException;
import dev.gateway.server.auth.Principal;
import dev.gateway.server.auth.TokenVerifier;

/** {@code auth:refresh} (PROTOCOL section 4): a connected socket replaces its token before the old one expires. */
public final class AuthEvents {
    private final TokenVerifier verifier;

    public AuthEvents(TokenVerifier verifier) {
        this.verifier = verifier;
    }

    public void register(EventRouter router) {
        router.on(AuthRefresh.class, (client, refresh) -> {
            Principal refreshed;
            try {
                refreshed = verifier.verify(refresh.token(), TokenVerifier.PRESENTED_TOKEN_SKEW_SECONDS);
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
