package dev.gateway.server.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.gateway.protocol.store.ConnectionRecord;
import dev.gateway.protocol.store.ConnectionStore;
import dev.gateway.protocol.store.NodeStore;
import dev.gateway.protocol.store.NodeView;

/**
 * The connection directory for backends: {@code GET /api/v1/connections} (the records of section 6, as
 * {@code gatewayctl -o json connections}) and {@code GET /api/v1/nodes} (as {@code gatewayctl -o json nodes}).
 */
final class DirectoryEndpoint {
    /** Who, then when: the order gatewayctl's tables use. */
    static final Comparator<ConnectionRecord> ORDER = Comparator.comparing(ConnectionRecord::userId)
            .thenComparing(ConnectionRecord::connectedAt, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(ConnectionRecord::socketId);

    private final ConnectionStore connections;
    private final NodeStore nodes;

    DirectoryEndpoint(ConnectionStore connections, NodeStore nodes) {
        this.connections = connections;
        this.nodes = nodes;
    }

    /** {@code ?userId=&nodeId=&deviceId=}, each narrowing the others; none lists every socket. */
    ApiReply connections(ApiRequest request) {
        Optional<String> userId = request.query("userId").map(id -> ApiFields.id("userId", id));
        Optional<String> nodeId = request.query("nodeId");
        Optional<String> deviceId = request.query("deviceId");
        List<ConnectionRecord> records = new ArrayList<>();
        if (userId.isPresent() || nodeId.isPresent()) {
            Set<String> socketIds = userId.isPresent()
                                    ? deviceId.isPresent() ? connections.socketsOfDevice(userId.get(), deviceId.get())
                                                           : connections.socketsOfUser(userId.get())
                                    : connections.socketsOfNode(nodeId.get());
            records.addAll(connections.findAll(socketIds));
        } else {
            connections.forEachPage(records::addAll);
        }
        records.removeIf(record -> nodeId.isPresent() && !nodeId.get().equals(record.serverId())
                || deviceId.isPresent() && !deviceId.get().equals(record.deviceId()));
        records.sort(ORDER);
        return ApiReply.ok(records);
    }

    ApiReply nodes(ApiRequest request) {
        return ApiReply.ok(nodes.nodes().stream().map(NodeView::of).toList());
    }
}
