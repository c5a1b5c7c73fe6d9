package dev.gateway.server.client;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import dev.gateway.protocol.event.FrameCodec;
import dev.gateway.protocol.event.Json;
import dev.gateway.protocol.store.ConnectionStore;
import dev.gateway.protocol.store.MessageId;
import dev.gateway.protocol.store.PresenceStore;
import dev.gateway.server.auth.Principal;
import dev.gateway.server.config.EnvironmentAliases;
import dev.gateway.server.config.GatewaySettings;
import dev.gateway.server.observe.GatewayMetrics;
import dev.gateway.server.presence.PresenceInterest;
import dev.gateway.server.presence.PresenceService;
import dev.gateway.server.room.LocalRooms;
import dev.gateway.server.room.RoomFanout;
import dev.gateway.server.room.RoomService;
import dev.gateway.testsupport.MovableClock;

import io.helidon.metrics.api.Metrics;
import redis.clients.jedis.RedisClient;
import redis.embedded.RedisServer;

/**
 * The client parts of one node against a real (embedded) Redis, on a clock the test moves and a
 * {@link ManualExecutor} the test runs (the clients' writers and the Redis removals): heartbeat interval 10 s,
 * presence TTL 30 s, 8 frames per outbox.
 */
final class NodeFixture implements AutoCloseable {
    static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    static final Duration HEARTBEAT = Duration.ofSeconds(10);
    static final int OUTBOUND_QUEUE_FRAMES = 8;

    final RedisServer server;
    final RedisClient redis;
    final MovableClock clock = new MovableClock(T0);
    final ManualExecutor executor = new ManualExecutor();
    final ClientHub hub = new ClientHub();
    final PresenceService presence;
    final ClientLifecycle lifecycle;

    NodeFixture() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        server = RedisServer.builder().port(port).bind("127.0.0.1").setting("save \"\"").build();
        server.start();
        redis = RedisClient.create("redis://127.0.0.1:" + port);
        GatewaySettings settings = GatewaySettings.create(EnvironmentAliases.load(Map.of(
                "GATEWAY_NODE_ID", "node-a",
                "HEARTBEAT_INTERVAL_SECONDS", Long.toString(HEARTBEAT.toSeconds()),
                "PRESENCE_TTL_SECONDS", "30",
                "OUTBOUND_QUEUE_FRAMES", Integer.toString(OUTBOUND_QUEUE_FRAMES))).get("gateway"));
        ConnectionStore connections = new ConnectionStore(redis, Json.mapper());
        GatewayMetrics metrics = new GatewayMetrics(Metrics.globalRegistry(), hub);
        presence = new PresenceService(connections, new PresenceStore(redis, Json.mapper(), connections),
                                       new PresenceInterest(), hub, settings, metrics, () -> { }, clock);
        LocalRooms rooms = new LocalRooms();
        RoomService roomService = new RoomService(rooms, room -> { }, new RoomFanout(rooms, room -> { }), chatId -> MessageId.MIN);
        lifecycle = new ClientLifecycle(hub, presence, roomService, FrameCodec.create(), metrics, settings, executor, clock);
    }

    /** Opens a socket of {@code userId} whose token expires an hour after T0, and writes what it was sent. */
    Client open(String socketId, String userId, Transport transport) throws TooManyConnectionsException {
        return open(socketId, userId, T0.plusSeconds(3600), transport);
    }

    Client open(String socketId, String userId, Instant tokenExpiry, Transport transport) throws TooManyConnectionsException {
        Principal principal = new Principal(userId, Optional.empty(), Optional.empty(), tokenExpiry);
        Client client = lifecycle.open(socketId, principal, "laptop", "Laptop", "test-agent", transport);
        executor.runAll();
        return client;
    }

    @Override
    public void close() {
        redis.close();
        server.stop();
    }
}
