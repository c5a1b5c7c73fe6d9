package dev.gateway.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import dev.gateway.protocol.event.Json;
import dev.gateway.protocol.store.ConnectionRecord;
import dev.gateway.protocol.store.ConnectionStore;
import dev.gateway.protocol.store.NodeRecord;
import dev.gateway.protocol.store.NodeStore;
import dev.gateway.protocol.store.PresenceEntry;
import dev.gateway.testsupport.TestRedis;

/**
 * A Redis as two live gateway nodes and a dead one leave it, written through the stores the gateway uses.
 *
 * <pre>
 * gw-a (alive)    alice-web-1 (alice, web)   bob-laptop-1 (bob, laptop)   dave-desk-2 (dave, desk)
 * gw-b (alive)    alice-phone-1 (alice, phone)   alice-web-2 (alice, web)
 * gw-dead         carol-tablet-1 (carol, tablet)   dave-desk-1 (dave, desk)
 * </pre>
 * Every socket connected between T0 and T0+3m and pinged a minute after; the tests' clock reads T0+10m.
 */
final class Fixture {
    static final Instant T0 = Instant.parse("2025-06-01T10:00:00Z");
    static final Clock CLOCK = Clock.fixed(T0.plus(Duration.ofMinutes(10)), ZoneOffset.UTC);
    /** Long enough that nothing lapses while the tests run. */
    static final Duration TTL = Duration.ofHours(1);

    private final ConnectionStore connections;
    private final NodeStore nodes;

    Fixture(TestRedis redis) {
        this.connections = new ConnectionStore(redis.client(), Json.mapper());
        this.nodes = new NodeStore(redis.client(), Json.mapper(), connections);
    }

    ConnectionStore connections() {
        return connections;
    }

    static Map<String, String> environment(TestRedis redis) {
        return Map.of("REDIS_URL", redis.url());
    }

    void fill() {
        node("gw-a", "10.0.0.1");
        node("gw-b", "10.0.0.2");
        socket("alice-web-1", "alice", "web", "Firefox on Linux", "gw-a", 0);
        socket("bob-laptop-1", "bob", "laptop", "MacBook", "gw-a", 30);
        socket("carol-tablet-1", "carol", "tablet", "iPad", "gw-dead", 40);
        socket("alice-phone-1", "alice", "phone", "Pixel 8", "gw-b", 60);
        socket("dave-desk-1", "dave", "desk", "Desk", "gw-dead", 90);
        socket("alice-web-2", "alice", "web", "Firefox on Linux", "gw-b", 120);
        socket("dave-desk-2", "dave", "desk", "Desk", "gw-a", 180);
    }

    void node(String nodeId, String host) {
        nodes.heartbeat(new NodeRecord(nodeId, host, 8080, T0.minus(Duration.ofHours(1)).toString(),
                                       T0.plus(Duration.ofMinutes(10)).minusSeconds(3).toString(), 0), TTL);
    }

    void socket(String socketId, String userId, String deviceId, String deviceName, String nodeId, int secondsAfterT0) {
        Instant connectedAt = T0.plusSeconds(secondsAfterT0);
        Instant lastSeen = connectedAt.plus(Duration.ofMinutes(1));
        ConnectionRecord record = new ConnectionRecord(userId, socketId, "member", deviceId, deviceName, "test-agent/1.0",
                                                       "203.0.113." + (secondsAfterT0 % 200 + 1), connectedAt.toString(), nodeId);
        connections.register(new ConnectionStore.Registration(record, new PresenceEntry(nodeId, connectedAt.toString(),
                                                                                      lastSeen.toString())),
                             TTL, lastSeen, true);
    }
}
