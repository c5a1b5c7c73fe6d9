package dev.gateway.it.ctl;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import dev.gateway.it.support.GatewayProcess;
import dev.gateway.it.support.GatewayRecords;
import dev.gateway.it.support.Gateways;
import dev.gateway.it.support.WsClient;
import dev.gateway.testsupport.Poll;
import dev.gateway.testsupport.TestRedis;
import dev.gateway.testsupport.Tokens;

import static org.hamcrest.Matchers.hasItems;

/**
 * Real clients connected to real gateway nodes, remembered with what the gateway should have recorded about them, so
 * that a test can compare gatewayctl's output with the sockets it knows exist.
 */
final class Population {
    /** The role every population token carries ({@code roleContextId}). */
    static final String ROLE = "member";

    private final Gateways gateways;
    private final TestRedis redis;
    private final List<Socket> sockets = new ArrayList<>();

    /**
     * One connected socket.
     *
     * @param connectedAfter taken just before the handshake: the record's {@code connectedAt} is not earlier
     */
    record Socket(WsClient client, String userId, String deviceId, String deviceName, String userAgent, String nodeId,
                  Instant connectedAfter) {
        String socketId() {
            return client.socketId();
        }
    }

    Population(Gateways gateways, TestRedis redis) {
        this.gateways = gateways;
        this.redis = redis;
    }

    /** Connects a socket of {@code userId} from a device, with a user agent naming both. */
    Socket connect(GatewayProcess node, String userId, String deviceId, String deviceName) {
        String userAgent = "it-client/1.0 (" + userId + "@" + deviceId + ")";
        Instant before = Instant.now();
        WsClient client = gateways.connect(WsClient.to(node)
                                                   .bearer(Tokens.claims(userId).roleContextId(ROLE).sign())
                                                   .device(deviceId, deviceName)
                                                   .header("User-Agent", userAgent)
                                                   .name(userId + "@" + deviceId));
        Socket socket = new Socket(client, userId, deviceId, deviceName, userAgent, node.nodeId(), before);
        sockets.add(socket);
        return socket;
    }

    /** Waits (at most 10 s) until Redis holds a connection record for every socket connected so far. */
    Population awaitRecorded() {
        Set<String> ids = socketIds(socket -> true);
        Poll.eventually("connection records of " + ids, () -> GatewayRecords.of(redis).connectionIds(),
                        hasItems(ids.toArray(String[]::new)));
        return this;
    }

    List<Socket> sockets() {
        return List.copyOf(sockets);
    }

    Socket socket(String socketId) {
        return sockets.stream().filter(socket -> socket.socketId().equals(socketId)).findFirst()
                .orElseThrow(() -> new AssertionError("no socket " + socketId + " in the population"));
    }

    Set<String> socketIds(Predicate<Socket> which) {
        return sockets.stream().filter(which).map(Socket::socketId).collect(Collectors.toSet());
    }

    Set<String> socketsOfUser(String userId) {
        return socketIds(socket -> socket.userId().equals(userId));
    }

    Set<String> socketsOfNode(String nodeId) {
        return socketIds(socket -> socket.nodeId().equals(nodeId));
    }
}
