package dev.gateway.protocol.store;

import java.time.Instant;

import dev.gateway.protocol.store.ConnectionStore.Registration;

/** Connection records for the store tests. */
final class Sockets {
    static final Instant CONNECTED_AT = Instant.parse("2025-03-01T10:00:00Z");

    private Sockets() {
    }

    /** A socket of a user on a device and node, with every field of {@code ws:connection} filled. */
    static ConnectionRecord socket(String socketId, String userId, String deviceId, String nodeId) {
        return new ConnectionRecord(userId, socketId, "role-1", deviceId, "Firefox on Linux", "Mozilla/5.0",
                                    "10.0.0.7", CONNECTED_AT.toString(), nodeId);
    }

    static ConnectionRecord socket(String socketId, String userId) {
        return socket(socketId, userId, "laptop", "node-a");
    }

    static Registration registration(ConnectionRecord connection, Instant lastSeen) {
        PresenceEntry presence = new PresenceEntry(connection.serverId(), connection.connectedAt(), lastSeen.toString());
        return new Registration(connection, presence);
    }

    static Registration registration(ConnectionRecord connection) {
        return registration(connection, Instant.parse(connection.connectedAt()));
    }
}
