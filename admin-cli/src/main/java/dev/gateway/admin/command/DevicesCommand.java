package dev.gateway.admin.command;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import dev.gateway.admin.ExitCodes;
import dev.gateway.admin.GatewayCtl;
import dev.gateway.admin.output.Column;
import dev.gateway.admin.output.Times;
import dev.gateway.protocol.store.ConnectionRecord;
import dev.gateway.protocol.store.ConnectionStore;
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

    /**
     * One device of the user.
     *
     * @param deviceName the name its newest socket gave
     * @param lastSeen   ISO-8601 UTC of the last presence ping of any of its sockets; null when none pinged lately
     */
    record Device(String deviceId, String deviceName, int sockets, List<String> socketIds, String lastSeen) {
    }

    @Override
    public Integer call() {
        ConnectionStore store = gatewayctl.stores().connections();
        Map<String, PresenceEntry> presence = store.presenceOf(userId);
        Map<String, List<ConnectionRecord>> byDevice = store.findAll(store.socketsOfUser(userId)).stream()
                .sorted(ConnectionsCommand.ORDER)
                .collect(Collectors.groupingBy(ConnectionRecord::deviceId, TreeMap::new, Collectors.toList()));
        List<Device> devices = byDevice.values().stream().map(sockets -> device(sockets, presence)).toList();
        gatewayctl.output().list(devices, List.of(Column.of("DEVICE", Device::deviceId),
                                                  Column.text("NAME", Device::deviceName),
                                                  Column.of("SOCKETS", device -> Integer.toString(device.sockets())),
                                                  Column.of("LAST SEEN", device -> Times.instant(device.lastSeen()))));
        return ExitCodes.matched(!devices.isEmpty());
    }

    /** @param sockets the device's sockets, oldest first */
    private static Device device(List<ConnectionRecord> sockets, Map<String, PresenceEntry> presence) {
        String name = sockets.reversed().stream().map(ConnectionRecord::deviceName)
                .filter(Objects::nonNull).findFirst().orElse(null);
        List<String> socketIds = sockets.stream().map(ConnectionRecord::socketId).toList();
        Optional<Instant> lastSeen = socketIds.stream()
                .map(presence::get).filter(Objects::nonNull)
                .flatMap(entry -> Times.parse(entry.lastSeen()).stream())
                .max(Comparator.naturalOrder());
        return new Device(sockets.getFirst().deviceId(), name, sockets.size(), socketIds,
                          lastSeen.map(Instant::toString).orElse(null));
    }
}
