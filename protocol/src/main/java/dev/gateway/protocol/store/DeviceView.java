package dev.gateway.protocol.store;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One device of a user, as {@code gatewayctl devices} and {@code GET /api/v1/users/{userId}/presence} show it.
 *
 * @param deviceName the name its newest socket gave
 * @param socketIds  its sockets, oldest first
 * @param lastSeen   ISO-8601 UTC of the last presence ping of any of its sockets; null when none pinged lately
 */
public record DeviceView(String deviceId, String deviceName, int sockets, List<String> socketIds, String lastSeen) {
    private static final Comparator<ConnectionRecord> OLDEST_FIRST =
            Comparator.comparing(ConnectionRecord::connectedAt, Comparator.nullsFirst(Comparator.naturalOrder()))
                    .thenComparing(ConnectionRecord::socketId);

    /** A user's sockets grouped by device, sorted by device id. */
    public static List<DeviceView> of(Collection<ConnectionRecord> sockets, Map<String, PresenceEntry> presence) {
        Map<String, List<ConnectionRecord>> byDevice = sockets.stream()
                .sorted(OLDEST_FIRST)
                .collect(Collectors.groupingBy(ConnectionRecord::deviceId, TreeMap::new, Collectors.toList()));
        return byDevice.values().stream().map(held -> device(held, presence)).toList();
    }

    /** @param sockets the device's sockets, oldest first */
    private static DeviceView device(List<ConnectionRecord> sockets, Map<String, PresenceEntry> presence) {
        String name = sockets.reversed().stream().map(ConnectionRecord::deviceName)
                .filter(Objects::nonNull).findFirst().orElse(null);
        List<String> socketIds = sockets.stream().map(ConnectionRecord::socketId).toList();
        Optional<Instant> lastSeen = socketIds.stream()
                .map(presence::get).filter(Objects::nonNull)
                .flatMap(entry -> instant(entry.lastSeen()).stream())
                .max(Comparator.naturalOrder());
        return new DeviceView(sockets.getFirst().deviceId(), name, sockets.size(), socketIds,
                              lastSeen.map(Instant::toString).orElse(null));
    }

    private static Optional<Instant> instant(String iso) {
        try {
            return iso == null ? Optional.empty() : Optional.of(Instant.parse(iso));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
