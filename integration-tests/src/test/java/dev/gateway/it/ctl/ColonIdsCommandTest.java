package dev.gateway.it.ctl;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gateway.it.support.GatewayCluster;
import dev.gateway.it.support.GatewayCtl;
import dev.gateway.it.support.GatewayProcess;
import dev.gateway.it.support.GatewayRecords;
import dev.gateway.it.support.WsClient;
import dev.gateway.testsupport.Poll;
import dev.gateway.testsupport.TestRedis;
import dev.gateway.testsupport.Tokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * PROTOCOL sections 6 (version 2) and 7: gatewayctl reads and writes the same escaped key names as the gateway, so
 * user {@code X:device:d1} and user {@code X}'s device {@code d1} never meet: disconnecting one leaves the other
 * connected. A socket in a chat whose id has colons, on a node killed with {@code kill -9}, is cleaned by gatewayctl
 * from what only Redis knows (its chat set): the chat's members on the surviving node hear {@code chat:user-left}.
 * <p>
 * The survivor sweeps for dead nodes only every 30 s, so nothing but gatewayctl cleans a killed node within a test
 * (as in {@link DeadNodeCommandsTest}); Redis is kept between tests, so each test has users of its own.
 */
class ColonIdsCommandTest {
    private static final String LIVE = "colon-live";
    private static final Duration EVENT = Duration.ofSeconds(5);
    private static final Duration QUIET = Duration.ofSeconds(1);
    private static final AtomicInteger TESTS = new AtomicInteger();

    @RegisterExtension
    static final GatewayCluster CLUSTER = GatewayCluster.onRedis().redis(TestRedis.keptBetweenTests());

    private static GatewayProcess live;

    private final InProcessCtl ctl = new InProcessCtl(Map.of("REDIS_URL", CLUSTER.redis().url(), "JWT_SECRET", Tokens.SECRET));
    private final int test = TESTS.incrementAndGet();
    private final String x = "X" + test;
    private final String xDevice = x + ":device:d1";
    private Population population;

    @BeforeAll
    static void startTheSurvivor() {
        live = CLUSTER.start(LIVE, Map.of("NODE_HEARTBEAT_SECONDS", "30", "NODE_TTL_SECONDS", "90"));
    }

    @BeforeEach
    void newPopulation() {
        population = new Population(CLUSTER.gateways(), CLUSTER.redis());
    }

    @Test
    void disconnectingUserXDeviceD1ClosesOnlyThatUsersSocketAndNeverUserXsDeviceD1() {
        Population.Socket xPhone = population.connect(live, x, "d1", "Phone");
        Population.Socket other = population.connect(live, xDevice, "web", "Browser");
        population.awaitRecorded();

        GatewayCtl.Result result = ctl.run("disconnect", "--user", xDevice, "-o", "json");

        assertThat(result.toString(), result.exitCode(), is(0));
        assertThat(result.toString(), result.json().size(), is(1));
        assertThat(result.toString(), result.json().get(0).path("socketId").asText(), is(other.socketId()));
        assertThat(result.toString(), result.json().get(0).path("result").asText(), is("closed"));
        assertThat(other.client().awaitClose().code(), is(4403));
        Sockets.assertGone(CLUSTER.redis(), other);
        Sockets.assertPresent(CLUSTER.redis(), xPhone);
        assertThat(xPhone.client().ping().path("success").asBoolean(), is(true));
    }

    @Test
    void disconnectingUserXsDeviceD1ClosesOnlyThatDeviceAndNeverUserXDeviceD1() {
        Population.Socket xPhone = population.connect(live, x, "d1", "Phone");
        Population.Socket other = population.connect(live, xDevice, "d1", "Phone");
        population.awaitRecorded();

        GatewayCtl.Result result = ctl.run("disconnect", "--user", x, "--device", "d1", "-o", "json");

        assertThat(result.toString(), result.exitCode(), is(0));
        assertThat(result.toString(), result.json().size(), is(1));
        assertThat(result.toString(), result.json().get(0).path("socketId").asText(), is(xPhone.socketId()));
        assertThat(xPhone.client().awaitClose().code(), is(4403));
        Sockets.assertGone(CLUSTER.redis(), xPhone);
        Sockets.assertPresent(CLUSTER.redis(), other);
        assertThat(other.client().ping().path("success").asBoolean(), is(true));
    }

    @Test
    void listingsOfAUserWithColonsShowOnlyThatUsersSockets() {
        population.connect(live, x, "d1", "Phone");
        Population.Socket other = population.connect(live, xDevice, "web", "Browser");
        population.awaitRecorded();

        GatewayCtl.Result connections = ctl.run("connections", "--user", xDevice, "-o", "json");
        GatewayCtl.Result devices = ctl.run("devices", "--user", xDevice, "-o", "json");

        assertThat(connections.toString(), connections.exitCode(), is(0));
        assertThat(connections.toString(), connections.json().size(), is(1));
        assertThat(connections.toString(), connections.json().get(0).path("socketId").asText(), is(other.socketId()));
        assertThat(connections.toString(), connections.json().get(0).path("userId").asText(), is(xDevice));
        assertThat(devices.toString(), devices.json().size(), is(1));
        assertThat(devices.toString(), devices.json().get(0).path("deviceId").asText(), is("web"));
    }

    @Test
    void cleaningAKilledNodesSocketLeavesItsChatWithColonsAndTheMembersHearItFromTheSurvivor() {
        String chatId = "dm:" + test + ":room";
        String doomedId = "colon-dead-" + test;
        String user = "google-oauth2:" + test;
        GatewayProcess doomed = CLUSTER.start(doomedId, Map.of("NODE_TTL_SECONDS", "2"));
        WsClient member = population.connect(live, "member-" + test, "laptop", "Laptop").client();
        WsClient leaving = population.connect(doomed, user, "phone", "Phone").client();
        population.awaitRecorded();
        join(member, chatId);
        join(leaving, chatId);
        member.awaitEvent("chat:user-joined", data -> data.path("userId").asText().equals(user), EVENT);
        assertThat(CLUSTER.redis().client().smembers("ws:connection-chats:" + leaving.socketId()), is(Set.of(chatId)));

        doomed.kill();
        Poll.eventually("ws:node:" + doomedId + " after kill -9", () -> CLUSTER.records().exists(GatewayRecords.nodeKey(doomedId)),
                        is(false));
        GatewayCtl.Result result = ctl.run("disconnect", "--user", user, "-o", "json");

        assertThat(result.toString(), result.exitCode(), is(0));
        assertThat(result.toString(), result.json().get(0).path("result").asText(), is("cleaned"));
        JsonNode left = member.awaitEvent("chat:user-left", EVENT);
        assertThat(left.path("chatId").asText(), is(chatId));
        assertThat(left.path("userId").asText(), is(user));
        JsonNode offline = member.awaitEvent("presence:offline", EVENT);
        assertThat(offline.path("userId").asText(), is(user));
        assertThat(offline.path("reason").asText(), is("expired"));
        member.assertNoEvent("chat:user-left", QUIET);
        assertThat(CLUSTER.redis().client().exists("ws:connection-chats:" + leaving.socketId()), is(false));
        assertThat(CLUSTER.redis().client().hexists("chat:" + GatewayRecords.escaped(chatId) + ":users", user), is(false));
        assertThat(CLUSTER.records().keysOfUser(user), is(List.of()));
    }

    private static void join(WsClient client, String chatId) {
        JsonNode ack = client.request("chat:join", Map.of("chatId", chatId));
        assertThat(client + " joins " + chatId + ": " + ack, ack.path("success").asBoolean(), is(true));
    }
}
