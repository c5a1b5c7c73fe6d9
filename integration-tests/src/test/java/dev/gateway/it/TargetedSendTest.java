package dev.gateway.it;

import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gateway.it.support.GatewayCluster;
import dev.gateway.it.support.GatewayCtl;
import dev.gateway.it.support.GatewayProcess;
import dev.gateway.it.support.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Targeted sends across nodes (issue 3: emitToUser / emitToDevice / room), driven through {@code gatewayctl emit}:
 * the frame reaches every socket of the user, or only one device's, on whichever node they are connected.
 */
class TargetedSendTest {
    private static final Duration EVENT = Duration.ofSeconds(5);
    private static final Duration QUIET = Duration.ofSeconds(1);

    @RegisterExtension
    static final GatewayCluster CLUSTER = GatewayCluster.onRedis();

    @Test
    void anEventForAUserReachesEverySocketOfTheUserOnEveryNode() {
        GatewayProcess nodeA = CLUSTER.start("node-a", Map.of());
        GatewayProcess nodeB = CLUSTER.start("node-b", Map.of());
        WsClient phone = CLUSTER.connect(nodeA, "alice", "phone", "Pixel");
        WsClient laptop = CLUSTER.connect(nodeB, "alice", "laptop", "Firefox");
        WsClient bob = CLUSTER.connect(nodeA, "bob");

        GatewayCtl.Result result = GatewayCtl.jar(CLUSTER.redis())
                .run("emit", "--user", "alice", "--event", "notice", "--data", "{\"text\":\"maintenance at 22:00\"}");

        assertThat(result.toString(), result.exitCode(), is(0));
        JsonNode onPhone = phone.awaitEvent("notice", EVENT);
        JsonNode onLaptop = laptop.awaitEvent("notice", EVENT);
        assertThat(onPhone.path("text").asText(), is("maintenance at 22:00"));
        assertThat(onLaptop.path("text").asText(), is("maintenance at 22:00"));
        bob.assertNoEvent("notice", QUIET);
    }

    @Test
    void anEventForOneDeviceReachesOnlyThatDevicesSockets() {
        GatewayProcess nodeA = CLUSTER.start("node-a", Map.of());
        GatewayProcess nodeB = CLUSTER.start("node-b", Map.of());
        WsClient phone = CLUSTER.connect(nodeA, "alice", "phone", "Pixel");
        WsClient laptopTab1 = CLUSTER.connect(nodeB, "alice", "laptop", "Firefox");
        WsClient laptopTab2 = CLUSTER.connect(nodeA, "alice", "laptop", "Firefox");

        GatewayCtl.Result result = GatewayCtl.jar(CLUSTER.redis())
                .run("emit", "--user", "alice", "--device", "laptop", "--event", "session:revoked");

        assertThat(result.toString(), result.exitCode(), is(0));
        laptopTab1.awaitEvent("session:revoked", EVENT);
        laptopTab2.awaitEvent("session:revoked", EVENT);
        phone.assertNoEvent("session:revoked", QUIET);
    }

    @Test
    void nodesListenToUsersThroughOnePatternAndCountOnlyTheNodesHoldingTheUser() {
        GatewayProcess nodeA = CLUSTER.start("node-a", Map.of());
        CLUSTER.start("node-b", Map.of());
        WsClient phone = CLUSTER.connect(nodeA, "alice", "phone", "Pixel");

        assertThat("no channel per connected user", CLUSTER.records().subscribers("gw:room:user:alice"), is(0L));
        assertThat("one pattern per node", CLUSTER.records().patternSubscribers(), is(2L));
        GatewayCtl.Result toAlice = GatewayCtl.jar(CLUSTER.redis()).run("emit", "--user", "alice", "--event", "notice", "-o", "json");
        GatewayCtl.Result toNobody = GatewayCtl.jar(CLUSTER.redis()).run("emit", "--user", "nobody", "--event", "notice", "-o", "json");

        assertThat(toAlice.toString(), toAlice.json().path("nodes").asInt(), is(1));
        phone.awaitEvent("notice", EVENT);
        assertThat(toNobody.toString(), toNobody.exitCode(), is(1));
        assertThat(toNobody.toString(), toNobody.json().path("nodes").asInt(), is(0));
    }
}
