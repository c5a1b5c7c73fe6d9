package dev.gateway.protocol.store;

/**
 * One gateway node as {@code gatewayctl -o json nodes} and {@code GET /api/v1/nodes} show it; what only its heartbeat
 * record knows (address, start, last heartbeat) is null for a dead node.
 *
 * @param connections the sockets its connection set holds
 */
public record NodeView(String nodeId, String host, Integer port, long connections, String startedAt, String lastHeartbeat,
                       boolean alive) {

    public static NodeView of(NodeStore.NodeStatus status) {
        return new NodeView(status.nodeId(),
                            status.record().map(NodeRecord::host).orElse(null),
                            status.record().map(NodeRecord::port).orElse(null),
                            status.connections(),
                            status.record().map(NodeRecord::startedAt).orElse(null),
                            status.record().map(NodeRecord::lastHeartbeat).orElse(null),
                            status.alive());
    }

    /** {@code host:port}; null for a dead node. */
    public String address() {
        return host == null ? null : host + ":" + port;
    }
}
