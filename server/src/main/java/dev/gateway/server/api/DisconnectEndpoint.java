package dev.gateway.server.api;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gateway.protocol.store.ConnectionStore;
import dev.gateway.protocol.store.Disconnection;

/**
 * {@code POST /api/v1/disconnect}: {@code gatewayctl disconnect} over HTTP, through the same {@link Disconnection}
 * (close 4403 on the owning nodes, clean the sockets of dead ones, wait at most {@code timeoutMs}). Nothing matched
 * is a 404.
 */
final class DisconnectEndpoint {
    private static final System.Logger LOG = System.getLogger(DisconnectEndpoint.class.getName());

    private final Disconnection disconnection;
    private final ConnectionStore connections;
    private final Clock clock;

    DisconnectEndpoint(Disconnection disconnection, ConnectionStore connections, Clock clock) {
        this.disconnection = disconnection;
        this.connections = connections;
        this.clock = clock;
    }

    ApiReply disconnect(ApiRequest request) throws InterruptedException {
        JsonNode body = request.body();
        Set<String> socketIds = target(body);
        String reason = ApiFields.optionalString(body, "reason", Disconnection.MAX_REASON_BYTES).orElse(Disconnection.DEFAULT_REASON);
        if (reason.getBytes(StandardCharsets.UTF_8).length > Disconnection.MAX_REASON_BYTES) {
            throw ApiError.validation("reason", "must be at most " + Disconnection.MAX_REASON_BYTES + " bytes (a close reason)");
        }
        Duration timeout = Duration.ofMillis(ApiFields.timeoutMs(body));
        List<Disconnection.Result> results = socketIds.isEmpty() ? List.of()
                : disconnection.disconnect(socketIds, reason, timeout, clock.instant(), DirectoryEndpoint.ORDER,
                                           nodeId -> LOG.log(System.Logger.Level.WARNING,
                                                             "event=disconnect-undelivered node={0}", nodeId));
        if (results.isEmpty()) {
            throw ApiError.notFound("no such socket");
        }
        return ApiReply.ok(results);
    }

    /** {@code {socketId}} or {@code {userId, deviceId?}}. */
    private Set<String> target(JsonNode body) {
        Optional<String> socketId = ApiFields.optionalString(body, "socketId", 128);
        boolean hasUser = body.hasNonNull("userId");
        if (socketId.isPresent() == hasUser) {
            throw ApiError.validation("socketId", "or userId is required, not both");
        }
        if (socketId.isPresent()) {
            if (body.hasNonNull("deviceId")) {
                throw ApiError.validation("deviceId", "goes with userId, not with socketId");
            }
            return Set.of(socketId.get());
        }
        String userId = ApiFields.id(body, "userId");
        Optional<String> deviceId = ApiFields.optionalString(body, "deviceId", ApiFields.MAX_DEVICE_ID);
        return deviceId.isPresent() ? connections.socketsOfDevice(userId, deviceId.get()) : connections.socketsOfUser(userId);
    }
}
