package dev.gateway.protocol.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonValue;

import dev.gateway.protocol.event.OfflineReason;

/**
 * Force-disconnect, shared by {@code gatewayctl disconnect} and the server API's {@code POST /api/v1/disconnect}.
 * A socket lives on one node, so only that node can close it: a {@link NodeCommand.Disconnect} goes out on the node's
 * channel, and the node closes the socket with 4403 and removes its records as for any close; then the records are
 * watched until they are gone. A dead node can close nothing and will never clean up (no handler runs after kill -9),
 * so the sockets of dead nodes are removed here, through the same script a node uses, which publishes the offline
 * events ({@code expired}) that follow.
 */
public final class Disconnection {
    /** WebSocket close frames carry at most 123 bytes of reason (RFC 6455, 5.5). */
    public static final int MAX_REASON_BYTES = 123;
    public static final String DEFAULT_REASON = "disconnected by an operator";

    private static final long POLL_MILLIS = 50;

    private final ConnectionStore connections;
    private final NodeStore nodes;

    public Disconnection(ConnectionStore connections, NodeStore nodes) {
        this.connections = connections;
        this.nodes = nodes;
    }

    /** What became of one socket, as {@code gatewayctl disconnect} and {@code POST /api/v1/disconnect} spell it. */
    public enum Outcome {
        /** Its node closed it. */
        CLOSED("closed"),
        /** Its node was dead, so its records were removed here. */
        CLEANED("cleaned"),
        /** Its node was alive but the socket was still open when the wait ended. */
        TIMEOUT("timeout");

        private final String wire;

        Outcome(String wire) {
            this.wire = wire;
        }

        /** The spelling in JSON and in gatewayctl's table. */
        @JsonValue
        public String wire() {
            return wire;
        }
    }

    public record Result(String socketId, String userId, String serverId, Outcome result) {
    }

    /**
     * Disconnects these sockets (unknown ids are skipped) and waits at most {@code timeout} for their nodes to close
     * them. Measured with {@link System#nanoTime()}: a bounded wait, not a point in time.
     *
     * @param order         the order of the results
     * @param lostCommand   told the id of a live node that did not receive its command (no subscriber on its channel)
     * @return one result per socket found, in {@code order}
     */
    public List<Result> disconnect(Collection<String> socketIds, String reason, Duration timeout, Instant now,
                                   Comparator<ConnectionRecord> order, Consumer<String> lostCommand)
            throws InterruptedException {
        List<ConnectionRecord> sockets = new ArrayList<>(connections.findAll(socketIds));
        sockets.sort(order);
        Map<String, Outcome> results = new HashMap<>();
        Set<String> asked = new HashSet<>();
        Map<String, List<ConnectionRecord>> byNode = sockets.stream()
                .collect(Collectors.groupingBy(ConnectionRecord::serverId, TreeMap::new, Collectors.toList()));
        byNode.forEach((nodeId, held) -> {
            if (nodes.isAlive(nodeId)) {
                List<String> ids = held.stream().map(ConnectionRecord::socketId).toList();
                if (nodes.send(nodeId, new NodeCommand.Disconnect(ids, reason)) == 0) {
                    // Pub/sub keeps nothing for absent subscribers: this command is lost, and waiting can only time out.
                    lostCommand.accept(nodeId);
                }
                asked.addAll(ids);
            } else {
                // Removing what is already gone is a no-op, so racing a live node that reaps the dead one is safe.
                held.forEach(socket -> connections.unregister(socket, OfflineReason.EXPIRED, now));
                held.forEach(socket -> results.put(socket.socketId(), Outcome.CLEANED));
                // With its last socket gone, a dead node is only a name in ws:nodes; a node that was merely cut off
                // lists itself again when it registers its sockets anew.
                if (connections.socketsOfNode(nodeId).isEmpty()) {
                    nodes.forget(nodeId);
                }
            }
        });
        Set<String> open = awaitClosed(asked, timeout);
        asked.forEach(socketId -> results.put(socketId, open.contains(socketId) ? Outcome.TIMEOUT : Outcome.CLOSED));
        return sockets.stream()
                .map(socket -> new Result(socket.socketId(), socket.userId(), socket.serverId(), results.get(socket.socketId())))
                .toList();
    }

    /** Polls until the records of the pending sockets are gone or the timeout passes; returns the sockets still open. */
    private Set<String> awaitClosed(Set<String> pending, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<String> open = new HashSet<>(pending);
        while (!open.isEmpty()) {
            open.retainAll(connections.findAll(open).stream().map(ConnectionRecord::socketId).collect(Collectors.toSet()));
            long left = deadline - System.nanoTime();
            if (open.isEmpty() || left <= 0) {
                break;
            }
            Thread.sleep(Math.min(POLL_MILLIS, TimeUnit.NANOSECONDS.toMillis(left) + 1));
        }
        return open;
    }
}
