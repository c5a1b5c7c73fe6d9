package dev.gateway.admin.command;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import dev.gateway.admin.ExitCodes;
import dev.gateway.admin.GatewayCtl;
import dev.gateway.admin.output.Output;
import dev.gateway.admin.output.Times;
import dev.gateway.protocol.store.ConnectionRecord;
import dev.gateway.protocol.store.ConnectionStore;
import dev.gateway.protocol.store.PresenceEntry;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "show",
         description = {"Shows every field of one socket's connection record, its age and when it last pinged.",
                        "An unknown socket prints nothing (null with -o json) and exits 1."},
         exitCodeList = {ExitCodes.HELP_OK, "1:no such socket", ExitCodes.HELP_USAGE,
                         ExitCodes.HELP_REDIS_UNREACHABLE, ExitCodes.HELP_FAILED},
         footer = {"  gatewayctl show 5f0c8a2e-1d3b-4c6f-9a7e-2b8d4e6f1a3c"})
public final class ShowCommand implements Callable<Integer> {
    @ParentCommand
    private GatewayCtl gatewayctl;
    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "SOCKET_ID", description = "The socket, as `connections` lists it.")
    private String socketId;

    @Override
    public Integer call() {
        Output output = gatewayctl.output();
        ConnectionStore store = gatewayctl.stores().connections();
        Optional<ConnectionRecord> found = store.find(socketId);
        if (found.isEmpty()) {
            spec.commandLine().getErr().println("no socket " + socketId);
            if (output.json()) {
                output.json(null);
            }
            return ExitCodes.NOTHING_MATCHED;
        }
        ConnectionRecord record = found.get();
        if (output.json()) {
            output.json(record);
            return ExitCodes.OK;
        }
        Optional<PresenceEntry> presence = Optional.ofNullable(store.presenceOf(record.userId()).get(socketId));
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("socketId", record.socketId());
        fields.put("userId", record.userId());
        fields.put("roleContextId", record.roleContextId());
        fields.put("deviceId", record.deviceId());
        fields.put("deviceName", record.deviceName());
        fields.put("userAgent", record.userAgent());
        fields.put("ipAddress", record.ipAddress());
        fields.put("connectedAt", record.connectedAt());
        fields.put("age", Times.age(record.connectedAt(), gatewayctl.environment().clock().instant()));
        fields.put("serverId", record.serverId());
        fields.put("lastSeen", presence.map(PresenceEntry::lastSeen).orElse(null));
        output.fields(fields);
        return ExitCodes.OK;
    }
}
