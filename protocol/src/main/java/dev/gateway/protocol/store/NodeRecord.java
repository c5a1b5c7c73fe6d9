package dev.gateway.protocol.store;

/**
 * The {@code ws:node:{nodeId}} heartbeat record.
 *
 * @param startedAt     ISO-8601 UTC
 * @param lastHeartbeat ISO-8601 UTC
 * @param connections   sockets open on the node when the heartbeat was written
 */
public record NodeRecord(String nodeId, String host, int port, String startedAt, String lastHeartbeat, long connections) {
}
