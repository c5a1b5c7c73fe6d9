package dev.gateway.server.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import dev.gateway.server.presence.PresenceService;

/**
 * Walks this node's clients a few times a second and ends those whose time is up: token expired (4401, no skew),
 * no {@code presence:ping} within the TTL (4408), or connection gone without a close frame. It also pings idle
 * connections, drops connections that stay silent for too long (half-open TCP), aborts server closes the peer
 * never completes, and removes sockets registered at a handshake whose connection never opened.
 */
public final class ClientSweeper {
    private final ClientHub hub;
    private final ClientLifecycle lifecycle;
    private final PresenceService presence;
    private final long pingAfterMillis;
    private final long silentLimitMillis;
    private final Clock clock;

    public ClientSweeper(ClientHub hub, ClientLifecycle lifecycle, PresenceService presence, Duration heartbeatInterval,
                         Clock clock) {
        this.hub = hub;
        this.lifecycle = lifecycle;
        this.presence = presence;
        this.pingAfterMillis = heartbeatInterval.toMillis();
        // pongs answer our pings well within this; a peer silent for longer is gone (half-open TCP)
        this.silentLimitMillis = Math.max(2 * heartbeatInterval.toMillis(), presence.ttl().toMillis()) + heartbeatInterval.toMillis();
        this.clock = clock;
    }

    public void sweep() {
        Instant instant = clock.instant();
        long now = instant.toEpochMilli();
        for (Client client : hub.all()) {
            if (!client.isConnected()) {
                lifecycle.end(client, DisconnectReason.CONNECTION_LOST, "connection lost");
            } else if (client.isTokenExpired(instant)) {
                lifecycle.end(client, DisconnectReason.TOKEN_EXPIRED, "token expired");
            } else if (presence.isExpired(client, now)) {
                lifecycle.end(client, DisconnectReason.PRESENCE_EXPIRED, "presence expired: no presence:ping within the TTL");
            } else if (client.isSilent(now, silentLimitMillis)) {
                lifecycle.end(client, DisconnectReason.CONNECTION_LOST, "connection silent");
            } else {
                client.pingIfIdle(now, pingAfterMillis);
            }
        }
        lifecycle.expireAdmissions(now);
        lifecycle.dropOverdueCloses(now);
    }
}
