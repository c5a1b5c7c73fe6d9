package dev.gateway.server.node;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import dev.gateway.protocol.store.ConnectionRecord;
import dev.gateway.protocol.store.NodeRecord;
import dev.gateway.protocol.store.NodeStore;
import dev.gateway.protocol.store.PresenceStore;
import dev.gateway.server.client.ClientHub;

/**
 * This node's duties towards the cluster, run on a schedule: rewrite its {@code ws:node} record (so others know
 * it lives), remove the sockets of nodes whose record lapsed (they died without cleaning up: after kill -9 no
 * handler runs there), and take offline users whose presence lapsed.
 */
public final class NodeHeartbeat {
    private static final System.Logger LOG = System.getLogger(NodeHeartbeat.class.getName());

    private final NodeStore nodes;
    private final PresenceStore presence;
    private final ClientHub hub;
    private final String nodeId;
    private final String host;
    private volatile int port;
    private final Instant startedAt;
    private final Duration nodeTtl;
    private final Duration presenceTtl;
    private final Clock clock;

    public NodeHeartbeat(NodeStore nodes, PresenceStore presence, ClientHub hub, String nodeId, String host,
                         Duration nodeTtl, Duration presenceTtl, Clock clock) {
        this.nodes = nodes;
        this.presence = presence;
        this.hub = hub;
        this.nodeId = nodeId;
        this.host = host;
        this.startedAt = clock.instant();
        this.nodeTtl = nodeTtl;
        this.presenceTtl = presenceTtl;
        this.clock = clock;
    }

    /** The port the node listens on, once the server has started. */
    public void port(int port) {
        this.port = port;
    }

    /** Writes this node's record. */
    public void beat() {
        Instant now = clock.instant();
        nodes.heartbeat(new NodeRecord(nodeId, host, port, startedAt.toString(), now.toString(), hub.size()), nodeTtl);
    }

    /** Cleans up after dead nodes and lapsed presence. Safe on every node at once. */
    public void sweepCluster() {
        Instant now = clock.instant();
        for (NodeStore.NodeStatus node : nodes.nodes()) {
            if (!node.alive() && !node.nodeId().equals(nodeId)) {
                var removed = nodes.reap(node.nodeId(), now);
                if (!removed.isEmpty()) {
                    LOG.log(System.Logger.Level.WARNING, "event=dead-node-reaped node={0} sockets={1} users={2}",
                            node.nodeId(), Integer.toString(removed.size()),
                            Long.toString(removed.stream().map(ConnectionRecord::userId).distinct().count()));
                }
            }
        }
        int expired = presence.expireLapsed(now, presenceTtl);
        if (expired > 0) {
            LOG.log(System.Logger.Level.INFO, "event=presence-lapsed users={0}", Integer.toString(expired));
        }
    }

    /** Removes this node's own keys, at shutdown after its sockets are gone. */
    public void forget() {
        nodes.forget(nodeId);
    }
}
