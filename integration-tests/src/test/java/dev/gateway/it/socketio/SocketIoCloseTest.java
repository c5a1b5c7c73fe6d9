package dev.gateway.it.socketio;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gateway.it.support.GatewayCluster;
import dev.gateway.it.support.GatewayCtl;
import dev.gateway.it.support.GatewayProcess;
import dev.gateway.it.support.WsClient;
import dev.gateway.testsupport.Tokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * How server closes reach a socket.io-client (docs/DESIGN.md, "Socket.IO"): terminal codes (4403 operator, 4429 rate
 * limit) send a Socket.IO DISCONNECT first, so the client reports {@code "io server disconnect"} and stays
 * disconnected; the others close the WebSocket only, so the client reports {@code "transport close"} and reconnects by
 * itself. The WebSocket close code is the native one either way.
 */
class SocketIoCloseTest {
    @RegisterExtension
    static final GatewayCluster CLUSTER = GatewayCluster.onRedis();

    private final List<SioPeer> peers = new java.util.ArrayList<>();

    @BeforeAll
    static void install() {
        SioPeer.install();
    }

    @AfterEach
    void closePeers() {
        peers.forEach(SioPeer::close);
    }

    private SioPeer connected(GatewayProcess node, String userId) {
        SioPeer peer = SioPeer.start(userId);
        peers.add(peer);
        peer.connectWithToken(node, Tokens.forUser(userId));
        return peer;
    }

    @Test
    void anOperatorDisconnectIsAnIoServerDisconnectAndTheUserGoesOffline() {
        GatewayProcess node = CLUSTER.start();
        WsClient watcher = CLUSTER.connect(node, "watcher");
        watcher.request("presence:subscribe", Map.of("userIds", List.of("judy")));
        SioPeer judy = connected(node, "judy");
        watcher.awaitEvent("presence:online", data -> data.path("userId").asText().equals("judy"), SioPeer.TIMEOUT);

        GatewayCtl.Result result = GatewayCtl.jar(CLUSTER.redis()).run("disconnect", "--user", "judy", "--reason", "revoked");

        assertThat(result.exitCode(), is(0));
        JsonNode disconnect = judy.await("disconnect", line -> true);
        assertThat(disconnect.path("reason").asText(), is("io server disconnect"));
        JsonNode offline = watcher.awaitEvent("presence:offline", data -> data.path("userId").asText().equals("judy"),
                                              SioPeer.TIMEOUT);
        assertThat(offline.path("reason").asText(), is("disconnected"));
    }

    @Test
    void aNodeShuttingDownIsATransportCloseWithCode1001SoTheClientReconnects() {
        GatewayProcess node = CLUSTER.start();
        SioPeer ken = connected(node, "ken");
        ken.awaitEvent("connected");

        node.terminate();

        JsonNode disconnect = ken.await("disconnect", line -> true);
        assertThat(disconnect.path("reason").asText(), is("transport close"));
        assertThat(disconnect.path("code").asInt(), is(1001));
    }

    @Test
    void overPollingAnOperatorDisconnectIsAnIoServerDisconnectAndAShutdownATransportClose() {
        GatewayProcess node = CLUSTER.start();
        SioPeer leo = polling(node, "leo");
        SioPeer mia = polling(node, "mia");
        leo.awaitEvent("connected");
        mia.awaitEvent("connected");

        GatewayCtl.Result result = GatewayCtl.jar(CLUSTER.redis()).run("disconnect", "--user", "leo", "--reason", "revoked");

        assertThat(result.exitCode(), is(0));
        assertThat(leo.await("disconnect", line -> true).path("reason").asText(), is("io server disconnect"));
        node.terminate();
        assertThat(mia.await("disconnect", line -> true).path("reason").asText(), is("transport close"));
    }

    private SioPeer polling(GatewayProcess node, String userId) {
        SioPeer peer = SioPeer.start(userId);
        peers.add(peer);
        peer.connect(node, Map.of("token", Tokens.forUser(userId)), Map.of("transports", List.of("polling")));
        peer.await("connect", line -> true);
        return peer;
    }
}
