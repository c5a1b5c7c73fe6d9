package dev.gateway.admin.command;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.gateway.admin.ExitCodes;
import dev.gateway.admin.GatewayCtl;
import dev.gateway.admin.output.Column;
import dev.gateway.protocol.store.ConnectionRecord;
import dev.gateway.protocol.store.ConnectionStore;
import dev.gateway.protocol.store.NodeCommand;
import dev.gateway.protocol.store.NodeStore;
import dev.gateway.protocol.store.PresenceChange;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * Force-disconnect. A socket lives on one node, so only that node can close it: gatewayctl publishes a
 * {@link NodeCommand.Disconnect} on the node's channel, and the node closes the socket with 4403 and removes its
 * records as for any close. gatewayctl then watches the records go. A dead node can close nothing and will never
 * clean up (no handler runs after kill -9), so gatewayctl removes its sockets' records itself, through the same
 * script a node uses, which publishes the offline events ({@code expired}) that follow.
 */
@Command(name = "disconnect",
         description = {"Disconnects a socket, a user, or one device of a user, on whichever nodes hold them.",
                        "Each owning node closes its sockets with code 4403 and the reason; the sockets of dead nodes"
                                + " are removed from Redis here, publishing the offline events a node would.",
                        "Prints one row per socket with its result: closed, cleaned (its node was dead) or timeout."},
         exitCodeList = {ExitCodes.HELP_OK, ExitCodes.HELP_DISCONNECT_INCOMPLETE, ExitCodes.HELP_USAGE,
                         ExitCodes.HELP_REDIS_UNREACHABLE, ExitCodes.HELP_FAILED},
         footer = {"  gatewayctl disconnect --user alice --reason 'account suspended'",
                   "  gatewayctl disconnect --user alice --device phone --timeout 10s",
                   "  gatewayctl disconnect --socket 5f0c8a2e-1d3b-4c6f-9a7e-2b8d4e6f1a3c -o json"})
public final class DisconnectCommand implements Callable<Integer> {
    static final String CLOSED = "closed";
    static final String CLEANED = "cleaned";
    static final String TIMEOUT = "timeout";

    /** WebSocket close frames carry at most 123 bytes of reason (RFC 6455, 5.5). */
    private static final int MAX_REASON_BYTES = 123;
    private static final long POLL_MILLIS = 50;

    @ParentCommand
    private GatewayCtl gatewayctl;
    @Spec
    private CommandSpec spec;

    @ArgGroup(multiplicity = "1")
    private Target target;

    @Option(names = "--reason", paramLabel = "TEXT", defaultValue = "disconnected by an operator",
            description = "Close reason the clients receive with code 4403 (at most 123 bytes). Default: ${DEFAULT-VALUE}.")
    private String reason;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
            description = "How long to wait for the nodes to close the sockets: 500ms, 5s, 1m. Default: ${DEFAULT-VALUE}.")
    private Duration timeout;

    /** Exactly one of: a socket, or a user (and maybe one of their devices). */
    static final class Target {
        @Option(names = "--socket", paramLabel = "SOCKET_ID", required = true, description = "The socket to close.")
        private String socketId;

        @ArgGroup(exclusive = false, multiplicity = "1")
        private UserTarget user;
    }

    static final class UserTarget {
        @Option(names = "--user", paramLabel = "USER", required = true, description = "Close every socket of this user.")
        private String userId;

        @Option(names = "--device", paramLabel = "DEVICE", description = "Only the sockets of this device of the user.")
        private String deviceId;
    }

    /** @param result {@code closed}, {@code cleaned} or {@code timeout} */
    record Result(String socketId, String userId, String serverId, String result) {
    }

    @Override
    public Integer call() throws InterruptedException {
        if (reason.getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
            throw new ParameterException(spec.commandLine(), "--reason is longer than " + MAX_REASON_BYTES + " bytes");
        }
        Stores stores = gatewayctl.stores();
        ConnectionStore connections = stores.connections();
        List<ConnectionRecord> sockets = new ArrayList<>(connections.findAll(socketIds(connections)));
        sockets.sort(ConnectionsCommand.ORDER);

        Map<String, String> results = new HashMap<>();
        Set<String> asked = new HashSet<>();
        Map<String, List<ConnectionRecord>> byNode = sockets.stream()
                .collect(Collectors.groupingBy(ConnectionRecord::serverId, TreeMap::new, Collectors.toList()));
        Instant now = gatewayctl.environment().clock().instant();
        byNode.forEach((nodeId, held) -> {
            if (stores.nodes().isAlive(nodeId)) {
                ask(stores.nodes(), nodeId, held);
                held.forEach(socket -> asked.add(socket.socketId()));
            } else {
                // Removing what is already gone is a no-op, so racing a live node that reaps the dead one is safe.
                held.forEach(socket -> connections.unregister(socket, PresenceChange.EXPIRED, now));
                held.forEach(socket -> results.put(socket.socketId(), CLEANED));
                // With its last socket gone, a dead node is only a name in ws:nodes; a node that was merely cut off
                // lists itself again when it registers its sockets anew.
                if (connections.socketsOfNode(nodeId).isEmpty()) {
                    stores.nodes().forget(nodeId);
                }
            }
        });
        Set<String> open = awaitClosed(connections, asked);
        asked.forEach(socketId -> results.put(socketId, open.contains(socketId) ? TIMEOUT : CLOSED));

        List<Result> rows = sockets.stream()
                .map(socket -> new Result(socket.socketId(), socket.userId(), socket.serverId(), results.get(socket.socketId())))
                .toList();
        gatewayctl.output().list(rows, List.of(Column.of("SOCKET", Result::socketId),
                                               Column.of("USER", Result::userId),
                                               Column.of("NODE", Result::serverId),
                                               Column.of("RESULT", Result::result)));
        return rows.isEmpty() || !open.isEmpty() ? ExitCodes.NOTHING_MATCHED : ExitCodes.OK;
    }

    private Set<String> socketIds(ConnectionStore connections) {
        if (target.socketId != null) {
            return Set.of(target.socketId);
        }
        return target.user.deviceId == null
                ? connections.socketsOfUser(target.user.userId)
                : connections.socketsOfDevice(target.user.userId, target.user.deviceId);
    }

    private void ask(NodeStore nodes, String nodeId, List<ConnectionRecord> held) {
        List<String> socketIds = held.stream().map(ConnectionRecord::socketId).toList();
        if (nodes.send(nodeId, new NodeCommand.Disconnect(socketIds, reason)) == 0) {
            // Pub/sub keeps nothing for absent subscribers: this command is lost, and waiting can only time out.
            PrintWriter err = spec.commandLine().getErr();
            err.println("warning: node " + nodeId + " is alive but did not receive the command (no subscriber on its channel)");
        }
    }

    /**
     * Polls until the records of the pending sockets are gone or the timeout passes. Measured with
     * {@link System#nanoTime()}: this is a bounded wait, not a point in time, and must not follow clock changes.
     *
     * @return the sockets still open
     */
    private Set<String> awaitClosed(ConnectionStore connections, Set<String> pending) throws InterruptedException {
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
