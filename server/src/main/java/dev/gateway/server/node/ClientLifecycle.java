package dev.gateway.server.node;

import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;

import dev.gateway.protocol.event.FrameCodec;
import dev.gateway.protocol.event.ServerEvent;
import dev.gateway.protocol.store.ConnectionRecord;
import dev.gateway.server.auth.Principal;
import dev.gateway.server.client.Client;
import dev.gateway.server.client.ClientHub;
import dev.gateway.server.client.DisconnectReason;
import dev.gateway.server.client.Outbox;
import dev.gateway.server.client.TokenBucket;
import dev.gateway.server.client.Transport;
import dev.gateway.server.config.GatewaySettings;
import dev.gateway.server.observe.GatewayMetrics;
import dev.gateway.server.presence.PresenceService;
import dev.gateway.server.room.RoomService;

/**
 * Opens and ends clients on this node: the one place that registers a socket (Redis, hub, rooms, presence) and
 * undoes it, so every way a socket can end (client close, TCP drop, expiry, operator, shutdown, overflow) runs the
 * same cleanup exactly once, and logs the one INFO line per connect and disconnect.
 */
public final class ClientLifecycle {
    private static final System.Logger LOG = System.getLogger(ClientLifecycle.class.getName());
    /** Consecutive seconds with refused frames after which a socket is closed 4429. */
    private static final int RATE_LIMIT_PERSISTENCE_SECONDS = 10;

    private final ClientHub hub;
    private final PresenceService presence;
    private final RoomService rooms;
    private final FrameCodec codec;
    private final GatewayMetrics metrics;
    private final GatewaySettings settings;
    private final ExecutorService executor;
    private final Clock clock;
    private final Set<Client> closing = ConcurrentHashMap.newKeySet();

    public ClientLifecycle(ClientHub hub, PresenceService presence, RoomService rooms, FrameCodec codec,
                           GatewayMetrics metrics, GatewaySettings settings, ExecutorService executor, Clock clock) {
        this.hub = hub;
        this.presence = presence;
        this.rooms = rooms;
        this.codec = codec;
        this.metrics = metrics;
        this.settings = settings;
        this.executor = executor;
        this.clock = clock;
    }

    /**
     * Opens a client after a successful handshake: registers it in Redis (its user may come online), joins its
     * user and role rooms, and sends {@code connected} then {@code presence:bulk-online}.
     *
     * @throws RuntimeException when Redis refuses the registration; nothing is left behind then
     */
    public Client open(Principal principal, String deviceId, String deviceName, String userAgent, Transport transport) {
        return open(newSocketId(), principal, deviceId, deviceName, userAgent, transport);
    }

    /**
     * Opens a client under a socket id chosen beforehand: the Socket.IO edge must name the id in its CONNECT answer,
     * which precedes the {@code connected} event. Otherwise as {@link #open(Principal, String, String, String, Transport)}.
     */
    public Client open(String socketId, Principal principal, String deviceId, String deviceName, String userAgent,
                       Transport transport) {
        Instant now = clock.instant();
        ConnectionRecord record = new ConnectionRecord(principal.userId(),
                                                       socketId,
                                                       principal.roleContextId().orElse(null),
                                                       deviceId,
                                                       deviceName,
                                                       userAgent,
                                                       transport.remoteAddress(),
                                                       now.toString(),
                                                       settings.nodeId());
        Client[] self = new Client[1];
        Outbox outbox = new Outbox(transport, executor, settings.outboundQueueFrames(),
                                   () -> end(self[0], DisconnectReason.CONNECTION_LOST, "send failed"),
                                   metrics::frameOut);
        Client client = new Client(record, principal, transport, outbox,
                                   new TokenBucket(settings.rateLimitPerSecond(), RATE_LIMIT_PERSISTENCE_SECONDS, now.toEpochMilli()),
                                   () -> end(self[0], DisconnectReason.SLOW_CONSUMER, "slow consumer: outbound queue overflowed"),
                                   now.toEpochMilli());
        self[0] = client;

        presence.register(client);
        hub.add(client);
        rooms.joinPersonalRooms(client);
        metrics.connected();
        LOG.log(System.Logger.Level.INFO, "event=connect user={0} socket={1} device={2} node={3} ip={4}",
                record.userId(), record.socketId(), record.deviceId(), record.serverId(), record.ipAddress());

        client.send(codec.encode(new ServerEvent.Connected(record.socketId(), record.userId(), record.serverId(),
                                                               settings.heartbeatInterval().toMillis(),
                                                               settings.presenceTtl().toMillis())));
        List<String> online;
        try {
            online = presence.followContacts(client);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "event=bulk-online-failed socket={0} error={1}", record.socketId(), e.toString());
            online = List.of();
        }
        client.send(codec.encode(new ServerEvent.BulkOnline(online)));
        return client;
    }

    /**
     * Ends a client, once, whatever the cause: takes it out of this node at once, closes the socket with the
     * reason's code when the server ends it, and removes it from Redis on the executor (its user may go offline).
     *
     * @param closeReason the close frame's reason text
     * @return completes when Redis has been updated (or the update was deferred because Redis is away)
     */
    public CompletableFuture<Void> end(Client client, DisconnectReason reason, String closeReason) {
        long now = clock.millis();
        if (client == null || !client.end(reason, now)) {
            return CompletableFuture.completedFuture(null);
        }
        hub.remove(client);
        if (reason != DisconnectReason.CLIENT_CLOSED && reason != DisconnectReason.CONNECTION_LOST) {
            client.outbox().close(reason.closeCode().code(), closeReason, reason == DisconnectReason.SLOW_CONSUMER);
            closing.add(client);
        } else if (reason == DisconnectReason.CONNECTION_LOST && client.transport().isOpen()) {
            // The server gives up on a connection that is still open (no pongs, ping timeout): a close frame ends it
            // for a peer that still reads, and the sweeper then drops the connection for one that does not.
            client.outbox().close(reason.closeCode().code(), closeReason, true);
            closing.add(client);
        }
        metrics.disconnected(reason);
        ConnectionRecord record = client.record();
        LOG.log(System.Logger.Level.INFO, "event=disconnect user={0} socket={1} device={2} node={3} reason={4} code={5}",
                record.userId(), record.socketId(), record.deviceId(), record.serverId(), reason.tag(),
                Integer.toString(reason.closeCode().code()));
        return CompletableFuture.runAsync(() -> {
            // Redis first: the socket's chat list there decides chat:user-left and who hears the offline event
            presence.unregister(client, reason);
            rooms.leaveAllLocally(client);
        }, executor);
    }

    /**
     * Clients the server is closing whose close has not completed: the sweeper drops their connection when the
     * peer does not finish the close in time.
     */
    public Set<Client> closing() {
        return closing;
    }

    /** A new random socket id: 20 hex digits. */
    public static String newSocketId() {
        byte[] bytes = new byte[10];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
