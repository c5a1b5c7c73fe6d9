package dev.gateway.protocol.store;

/**
 * The {@code ws:connection:{socketId}} record: who holds a socket, from where, on which node.
 *
 * @param connectedAt ISO-8601 UTC
 * @param serverId    the node id of the gateway that holds the socket
 */
public record ConnectionRecord(String userId,
                               String socketId,
                               String roleContextId,
                               String deviceId,
                               String deviceName,
                               String userAgent,
                               String ipAddress,
                               String connectedAt,
                               String serverId) {

    /** The same record with the peer's address (known only once the connection is open). */
    public ConnectionRecord withIpAddress(String address) {
        return new ConnectionRecord(userId, socketId, roleContextId, deviceId, deviceName, userAgent, address, connectedAt,
                                    serverId);
    }
}
