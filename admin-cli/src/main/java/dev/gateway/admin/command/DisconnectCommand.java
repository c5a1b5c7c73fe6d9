package dev.gateway.admin.command;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import dev.gateway.admin.ExitCodes;
import dev.gateway.admin.GatewayCtl;
import dev.gateway.admin.output.Column;
import dev.gateway.protocol.store.ConnectionStore;
import dev.gateway.protocol.store.Disconnection;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Force-disconnect, through {@link Disconnection} (shared with the server API's {@code POST /api/v1/disconnect}). */
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
    @ParentCommand
    private GatewayCtl gatewayctl;
    @Spec
    private CommandSpec spec;

    @ArgGroup(multiplicity = "1")
    private Target target;

    @Option(names = "--reason", paramLabel = "TEXT", defaultValue = Disconnection.DEFAULT_REASON,
            description = "Close reason the clients receive with code 4403 (at most " + Disconnection.MAX_REASON_BYTES
                          + " bytes). Default: ${DEFAULT-VALUE}.")
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

    @Override
    public Integer call() throws InterruptedException {
        if (reason.getBytes(StandardCharsets.UTF_8).length > Disconnection.MAX_REASON_BYTES) {
            throw new ParameterException(spec.commandLine(), "--reason is longer than " + Disconnection.MAX_REASON_BYTES + " bytes");
        }
        Stores stores = gatewayctl.stores();
        PrintWriter err = spec.commandLine().getErr();
        List<Disconnection.Result> rows = new Disconnection(stores.connections(), stores.nodes())
                .disconnect(socketIds(stores.connections()), reason, timeout, gatewayctl.environment().clock().instant(),
                            ConnectionsCommand.ORDER, nodeId -> err.println("warning: node " + nodeId
                                    + " is alive but did not receive the command (no subscriber on its channel)"));
        gatewayctl.output().list(rows, List.of(Column.of("SOCKET", Disconnection.Result::socketId),
                                               Column.of("USER", Disconnection.Result::userId),
                                               Column.of("NODE", Disconnection.Result::serverId),
                                               Column.of("RESULT", row -> row.result().wire())));
        boolean timedOut = rows.stream().anyMatch(row -> row.result() == Disconnection.Outcome.TIMEOUT);
        return rows.isEmpty() || timedOut ? ExitCodes.NOTHING_MATCHED : ExitCodes.OK;
    }

    private Set<String> socketIds(ConnectionStore connections) {
        if (target.socketId != null) {
            return Set.of(target.socketId);
        }
        return target.user.deviceId == null
                ? connections.socketsOfUser(target.user.userId)
                : connections.socketsOfDevice(target.user.userId, target.user.deviceId);
    }
}
