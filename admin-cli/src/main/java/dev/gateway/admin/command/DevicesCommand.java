package dev.gateway.admin.command;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.gateway.admin.ExitCodes;
import dev.gateway.admin.GatewayCtl;
import dev.gateway.admin.output.Column;
import dev.gateway.admin.output.Times;
import dev.gateway.protocol.store.ConnectionStore;
import dev.gateway.protocol.store.DeviceView;
import dev.gateway.protocol.store.PresenceEntry;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "devices",
         description = "Lists the devices a user is connected from, with their sockets and when they were last seen.",
         exitCodeList = {ExitCodes.HELP_OK, ExitCodes.HELP_NOTHING_MATCHED, ExitCodes.HELP_USAGE,
                         ExitCodes.HELP_REDIS_UNREACHABLE, ExitCodes.HELP_FAILED},
         footer = {"  gatewayctl devices --user alice",
                   "  gatewayctl disconnect --user alice --device phone"})
public final class DevicesCommand implements Callable<Integer> {
    @ParentCommand
    private GatewayCtl gatewayctl;

    @Option(names = "--user", paramLabel = "USER", required = true, description = "The user whose devices to list.")
    private String userId;

    @Override
    public Integer call() {
        ConnectionStore store = gatewayctl.stores().connections();
        Map<String, PresenceEntry> presence = store.presenceOf(userId);
        List<DeviceView> devices = DeviceView.of(store.findAll(store.socketsOfUser(userId)), presence);
        gatewayctl.output().list(devices, List.of(Column.of("DEVICE", DeviceView::deviceId),
                                                  Column.text("NAME", DeviceView::deviceName),
                                                  Column.of("SOCKETS", device -> Integer.toString(device.sockets())),
                                                  Column.of("LAST SEEN", device -> Times.instant(device.lastSeen()))));
        return ExitCodes.matched(!devices.isEmpty());
    }
}
