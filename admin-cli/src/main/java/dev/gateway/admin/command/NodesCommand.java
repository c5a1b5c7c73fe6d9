package dev.gateway.admin.command;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

import dev.gateway.admin.ExitCodes;
import dev.gateway.admin.GatewayCtl;
import dev.gateway.admin.output.Column;
import dev.gateway.admin.output.Times;
import dev.gateway.protocol.store.NodeView;

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

    @Override
    public Integer call() {
        List<NodeView> nodes = gatewayctl.stores().nodes().nodes().stream().map(NodeView::of).toList();
        Instant now = gatewayctl.environment().clock().instant();
        gatewayctl.output().list(nodes, List.of(Column.of("NODE", NodeView::nodeId),
                                                Column.of("ADDRESS", NodeView::address),
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
