package dev.gateway.admin.command;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

import dev.gateway.admin.ExitCodes;
import dev.gateway.admin.GatewayCtl;
import dev.gateway.admin.output.Column;
import dev.gateway.admin.output.Times;
import dev.gateway.protocol.store.NodeRecord;
import dev.gateway.protocol.store.NodeStore;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "nodes",
         description = {"Lists the gateway nodes, alive or dead.",
                        "A dead node's heartbeat key has lapsed while its socket set remains: `disconnect` cleans"
                                + " its sockets, and so does any live node that notices."},
         exitCodeList = {ExitCodes.HELP_OK, ExitCodes.HELP_NOTHING_MATCHED, ExitCodes.HELP_USAGE,
                         ExitCodes.HELP_REDIS_UNREACHABLE, ExitCodes.HELP_FAILED},
         footer = {"  gatewayctl nodes",
                   "  gatewayctl nodes -o json | jq -r '.[] | select(.alive | not) | .nodeId'"})
public final class NodesCommand implements Callable<Integer> {
    @ParentCommand
    private GatewayCtl gatewayctl;

    /**
     * One node; what only its heartbeat record knows (address, start, last heartbeat) is null for a dead node.
     *
     * @param connections the sockets its connection set holds
     */
    record Node(String nodeId, String host, Integer port, long connections, String startedAt, String lastHeartbeat,
                boolean alive) {
        static Node of(NodeStore.NodeStatus status) {
            return new Node(status.nodeId(),
                            status.record().map(NodeRecord::host).orElse(null),
                            status.record().map(NodeRecord::port).orElse(null),
                            status.connections(),
                            status.record().map(NodeRecord::startedAt).orElse(null),
                            status.record().map(NodeRecord::lastHeartbeat).orElse(null),
                            status.alive());
        }

        String address() {
            return host == null ? null : host + ":" + port;
        }
    }

    @Override
    public Integer call() {
        List<Node> nodes = gatewayctl.stores().nodes().nodes().stream().map(Node::of).toList();
        Instant now = gatewayctl.environment().clock().instant();
        gatewayctl.output().list(nodes, List.of(Column.of("NODE", Node::nodeId),
                                                Column.of("ADDRESS", Node::address),
                                                Column.of("SOCKETS", node -> Long.toString(node.connections())),
                                                Column.of("STARTED", node -> Times.instant(node.startedAt())),
                                                Column.of("HEARTBEAT", node -> ago(node.lastHeartbeat(), now)),
                                                Column.of("ALIVE", node -> node.alive() ? "yes" : "no")));
        return ExitCodes.matched(!nodes.isEmpty());
    }

    private static String ago(String instant, Instant now) {
        String age = Times.age(instant, now);
        return age == null ? null : age + " ago";
    }
}
