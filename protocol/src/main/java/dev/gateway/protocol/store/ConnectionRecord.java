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
}
