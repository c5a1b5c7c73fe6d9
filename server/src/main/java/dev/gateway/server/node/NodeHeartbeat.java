package dev.gateway.server.node;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
    private volatile Set<String> missingBefore = Set.of();
    private volatile boolean leftoversRemoved;

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

    /**
     * Removes what a previous process under this node id left: a node killed with {@code kill -9} and restarted at
     * once under the same id (as a supervisor does) would otherwise keep listing the dead sockets, since its record
     * never lapses. They died with that process; their users go offline {@code expired}, as for a dead node. Run
     * before the node accepts sockets: until it has succeeded (Redis away at start) the node refuses handshakes
     * ({@link #leftoversRemoved()}) and every {@link #beat()} tries again.
     */
    public void removeLeftovers() {
        if (leftoversRemoved) {
            return;
        }
        List<ConnectionRecord> removed = nodes.removeSockets(nodeId, clock.instant());
        leftoversRemoved = true;
        if (!removed.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "event=previous-process-reaped node={0} sockets={1} users={2}", nodeId,
                    Integer.toString(removed.size()), Long.toString(removed.stream().map(ConnectionRecord::userId).distinct().count()));
        }
    }

    /** Whether {@link #removeLeftovers()} has run: before that, this node must not take sockets. */
    public boolean leftoversRemoved() {
        return leftoversRemoved;
    }

    /** Writes this node's record (after removing what a previous process under its id left, the first time). */
    public void beat() {
        removeLeftovers();
        Instant now = clock.instant();
        nodes.heartbeat(new NodeRecord(nodeId, host, port, startedAt.toString(), now.toString(), hub.size()), nodeTtl);
    }

    /**
     * Cleans up after dead nodes and lapsed presence. Safe on every node at once. A node is reaped only when its
     * record is missing in two sweeps in a row: a node that just started, or is re-announcing itself after Redis
     * restarted, may list sockets a moment before its record is back, and must not lose them.
     */
    public void sweepCluster() {
        Instant now = clock.instant();
        Set<String> missing = new HashSet<>();
        for (NodeStore.NodeStatus node : nodes.nodes()) {
            if (node.alive() || node.nodeId().equals(nodeId)) {
                continue;
            }
            missing.add(node.nodeId());
            if (missingBefore.contains(node.nodeId())) {
                var removed = nodes.reap(node.nodeId(), now);
                if (!removed.isEmpty()) {
                    LOG.log(System.Logger.Level.WARNING, "event=dead-node-reaped node={0} sockets={1} users={2}",
                            node.nodeId(), Integer.toString(removed.size()),
                            Long.toString(removed.stream().map(ConnectionRecord::userId).distinct().count()));
                }
            }
        }
        missingBefore = missing;
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
