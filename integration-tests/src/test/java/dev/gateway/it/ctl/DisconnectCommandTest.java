package dev.gateway.it.ctl;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gateway.it.support.GatewayCluster;
import dev.gateway.it.support.GatewayCtl;
import dev.gateway.it.support.GatewayProcess;
import dev.gateway.it.support.WsClient;
import dev.gateway.testsupport.TestRedis;
import dev.gateway.testsupport.Tokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * PROTOCOL section 7, {@code disconnect} against two live gateway nodes: the owning node closes each socket with 4403
 * and the operator's reason, its records go, the command reports {@code closed} per socket, and presence follows
 * (one {@code presence:offline}, {@code disconnected}, when a user's last socket goes). A node that cannot act in time
 * is reported as {@code timeout}. The nodes serve the whole class, and Redis is kept between tests: each test has
 * users of its own.
 */
class DisconnectCommandTest {
    private static final String NODE_A = "dc-a";
    private static final String NODE_B = "dc-b";
    private static final int DISCONNECTED_BY_OPERATOR = 4403;
    private static final Duration EVENT = Duration.ofSeconds(5);
    private static final Duration QUIET = Duration.ofSeconds(1);

    private static final AtomicInteger TESTS = new AtomicInteger();

    @RegisterExtension
    static final GatewayCluster CLUSTER = GatewayCluster.onRedis().redis(TestRedis.keptBetweenTests());

    private static GatewayProcess nodeA;
    private static GatewayProcess nodeB;

    private final InProcessCtl ctl = new InProcessCtl(Map.of("REDIS_URL", CLUSTER.redis().url(), "JWT_SECRET", Tokens.SECRET));
    private Population population;
    // Redis is kept between tests (see TestRedis.keptBetweenTests), so each test has users of its own.
    private final int test = TESTS.incrementAndGet();
    private final String alice = "alice-" + test;
    private final String bob = "bob-" + test;
    private final String zoe = "zoe-" + test;

    @BeforeAll
    static void startNodes() {
        List<GatewayProcess> nodes = Nodes.startConcurrently(CLUSTER.gateways(), Map.of(), NODE_A, NODE_B);
        nodeA = nodes.get(0);
        nodeB = nodes.get(1);
    }

    @BeforeEach
    void newPopulation() {
        population = new Population(CLUSTER.gateways(), CLUSTER.redis());
    }

    // ---------------------------------------------------------------- one socket

    @Test
    void disconnectingASocketClosesItWith4403AndTheOperatorsReason() {
        Population.Socket web = population.connect(nodeA, alice, "web", "Firefox");
        population.connect(nodeB, alice, "phone", "Pixel 8");
        population.awaitRecorded();

        GatewayCtl.Result result = ctl.run("disconnect", "--socket", web.socketId(), "--reason", "policy: session revoked",
                                           "-o", "json");

        assertThat(result.toString(), result.exitCode(), is(0));
        WsClient.Close close = web.client().awaitClose();
        assertThat(close.code(), is(DISCONNECTED_BY_OPERATOR));
        assertThat(close.reason(), is("policy: session revoked"));
    }

    @Test
    void disconnectingASocketReportsItClosedWithItsUserAndNode() {
        Population.Socket web = population.connect(nodeA, alice, "web", "Firefox");
        population.connect(nodeB, alice, "phone", "Pixel 8");
        population.awaitRecorded();

        GatewayCtl.Result result = ctl.run("disconnect", "--socket", web.socketId(), "-o", "json");

        assertThat(result.toString(), result.exitCode(), is(0));
        JsonNode rows = result.json();
        assertThat(result.toString(), rows.size(), is(1));
        assertThat(result.toString(), rows.get(0).path("socketId").asText(), is(web.socketId()));
        assertThat(result.toString(), rows.get(0).path("userId").asText(), is(alice));
        assertThat(result.toString(), rows.get(0).path("serverId").asText(), is(NODE_A));
        assertThat(result.toString(), rows.get(0).path("result").asText(), is("closed"));
    }

    @Test
    void disconnectingASocketRemovesItsRecordsAndLeavesTheUsersOtherSocket() {
        Population.Socket web = population.connect(nodeA, alice, "web", "Firefox");
        Population.Socket phone = population.connect(nodeB, alice, "phone", "Pixel 8");
        population.awaitRecorded();

        GatewayCtl.Result result = ctl.run("disconnect", "--socket", web.socketId());

        assertThat(result.toString(), result.exitCode(), is(0));
        Sockets.assertGone(CLUSTER.redis(), web);
        Sockets.assertPresent(CLUSTER.redis(), phone);
        assertThat(phone.client().isClosed(), is(false));
    }

    // ---------------------------------------------------------------- a user

    @Test
    void disconnectingAUserClosesEverySocketOnBothNodesWith4403() {
        List<Population.Socket> sockets = List.of(population.connect(nodeA, alice, "web", "Firefox"),
                                                 population.connect(nodeB, alice, "phone", "Pixel 8"),
                                                 population.connect(nodeB, alice, "web", "Firefox"));
        Population.Socket bystander = population.connect(nodeA, bob, "laptop", "MacBook");
        population.awaitRecorded();

        GatewayCtl.Result result = ctl.run("disconnect", "--user", alice, "--reason", "account suspended");

        assertThat(result.toString(), result.exitCode(), is(0));
        for (Population.Socket socket : sockets) {
            WsClient.Close close = socket.client().awaitClose();
            assertThat(socket.client() + " on " + socket.nodeId(), close.code(), is(DISCONNECTED_BY_OPERATOR));
            assertThat(socket.client() + " on " + socket.nodeId(), close.reason(), is("account suspended"));
        }
        Sockets.assertGone(CLUSTER.redis(), sockets);
        Sockets.assertPresent(CLUSTER.redis(), bystander);
        assertThat(CLUSTER.records().onlineUsers(), not(hasItem(alice)));
        assertThat(CLUSTER.records().onlineUsers(), hasItem(bob));
    }

    @Test
    void disconnectingAUserPrintsOneClosedRowPerSocket() {
        population.connect(nodeA, alice, "web", "Firefox");
        population.connect(nodeB, alice, "phone", "Pixel 8");
        population.connect(nodeB, alice, "web", "Firefox");
        population.awaitRecorded();

        GatewayCtl.Result result = ctl.run("disconnect", "--user", alice);

        assertThat(result.toString(), result.exitCode(), is(0));
        Table table = Table.parse(result.stdout());
        assertThat(table.headers(), is(List.of("SOCKET", "USER", "NODE", "RESULT")));
        assertThat(Set.copyOf(table.column("SOCKET")), is(population.socketsOfUser(alice)));
        assertThat(table.column("RESULT"), is(List.of("closed", "closed", "closed")));
        for (Map<String, String> row : table.rows()) {
            assertThat(row.toString(), row.get("USER"), is(alice));
            assertThat(row.toString(), row.get("NODE"), is(population.socket(row.get("SOCKET")).nodeId()));
        }
    }

    @Test
    void aSubscriberOnAnotherSocketSeesOneOfflineWhenAUserIsDisconnectedFromBothNodes() {
        population.connect(nodeA, alice, "web", "Firefox");
        population.connect(nodeB, alice, "phone", "Pixel 8");
        population.connect(nodeB, alice, "web", "Firefox");
        WsClient watcher = population.connect(nodeB, bob, "laptop", "MacBook").client();
        assertThat(watcher.subscribe(alice).path("online").toString(), containsString(alice));
        population.awaitRecorded();

        GatewayCtl.Result result = ctl.run("disconnect", "--user", alice, "-o", "json");

        assertThat(result.toString(), result.exitCode(), is(0));
        JsonNode offline = watcher.awaitEvent("presence:offline", EVENT);
        assertThat(offline.path("userId").asText(), is(alice));
        assertThat(offline.path("reason").asText(), is("disconnected"));
        watcher.assertNoEvent("presence:offline", QUIET);
    }

    // ---------------------------------------------------------------- one device of a user

    @Test
    void disconnectingADeviceClosesOnlyThatDevicesSocketsOnEveryNode() {
        Population.Socket webA = population.connect(nodeA, alice, "web", "Firefox");
        population.connect(nodeB, alice, "phone", "Pixel 8");
        Population.Socket webB = population.connect(nodeB, alice, "web", "Firefox");
        population.awaitRecorded();

        GatewayCtl.Result result = ctl.run("disconnect", "--user", alice, "--device", "web", "--reason", "web revoked",
                                           "-o", "json");

        assertThat(result.toString(), result.exitCode(), is(0));
        assertThat(results(result.json()), is(Map.of(webA.socketId(), "closed", webB.socketId(), "closed")));
        for (Population.Socket web : List.of(webA, webB)) {
            WsClient.Close close = web.client().awaitClose();
            assertThat(web.client() + " on " + web.nodeId(), close.code(), is(DISCONNECTED_BY_OPERATOR));
            assertThat(web.client() + " on " + web.nodeId(), close.reason(), is("web revoked"));
        }
        Sockets.assertGone(CLUSTER.redis(), List.of(webA, webB));
    }

    @Test
    void disconnectingADeviceLeavesTheUsersOtherDeviceConnectedAndOnline() {
        population.connect(nodeA, alice, "web", "Firefox");
        Population.Socket phone = population.connect(nodeB, alice, "phone", "Pixel 8");
        WsClient watcher = population.connect(nodeA, bob, "laptop", "MacBook").client();
        watcher.subscribe(alice);
        population.awaitRecorded();

        GatewayCtl.Result result = ctl.run("disconnect", "--user", alice, "--device", "web");

        assertThat(result.toString(), result.exitCode(), is(0));
        assertThat(phone.client().ping().path("success").asBoolean(), is(true));
        assertThat(phone.client().isClosed(), is(false));
        Sockets.assertPresent(CLUSTER.redis(), phone);
        assertThat(CLUSTER.records().onlineUsers(), hasItem(alice));
        watcher.assertNoEvent("presence:offline", QUIET);
    }

    @Test
    void theLauncherDisconnectsOneDeviceOfAUser() {
        Population.Socket phone = population.connect(nodeB, zoe, "phone", "Pixel 8");
        Population.Socket laptop = population.connect(nodeA, zoe, "laptop", "MacBook");
        population.awaitRecorded();

        GatewayCtl.Result result = GatewayCtl.launcher(Map.of("REDIS_URL", CLUSTER.redis().url()))
                .run("disconnect", "--user", zoe, "--device", "phone", "--reason", "demo: phone revoked");

        assertThat(result.toString(), result.exitCode(), is(0));
        Table table = Table.parse(result.stdout());
        assertThat(result.toString(), table.rows().size(), is(1));
        assertThat(result.toString(), table.rows().getFirst().get("SOCKET"), is(phone.socketId()));
        assertThat(result.toString(), table.rows().getFirst().get("RESULT"), is("closed"));
        WsClient.Close close = phone.client().awaitClose();
        assertThat(close.code(), is(DISCONNECTED_BY_OPERATOR));
        assertThat(close.reason(), is("demo: phone revoked"));
        assertThat(laptop.client().isClosed(), is(false));
    }

    // ---------------------------------------------------------------- nothing to disconnect, or not in time

    @Test
    void disconnectingAnUnknownSocketPrintsAnEmptyJsonArrayAndExitsOne() {
        Population.Socket web = population.connect(nodeA, alice, "web", "Firefox");
        population.awaitRecorded();

        GatewayCtl.Result result = ctl.run("disconnect", "--socket", "00000000-0000-0000-0000-000000000000", "-o", "json");

        assertThat(result.toString(), result.exitCode(), is(1));
        assertThat(result.toString(), result.json().isArray(), is(true));
        assertThat(result.toString(), result.json().size(), is(0));
        Sockets.assertPresent(CLUSTER.redis(), web);
    }

    @Test
    void disconnectingAnUnknownUserPrintsAnEmptyTableAndExitsOne() {
        Population.Socket web = population.connect(nodeA, alice, "web", "Firefox");
        population.awaitRecorded();

        GatewayCtl.Result result = ctl.run("disconnect", "--user", "nobody");

        assertThat(result.toString(), result.exitCode(), is(1));
        assertThat(result.toString(), Table.parse(result.stdout()).rows(), is(empty()));
        Sockets.assertPresent(CLUSTER.redis(), web);
    }

    @Test
    void disconnectingADeviceTheUserDoesNotHaveExitsOneAndClosesNothing() {
        Population.Socket web = population.connect(nodeA, alice, "web", "Firefox");
        population.awaitRecorded();

        GatewayCtl.Result result = ctl.run("disconnect", "--user", alice, "--device", "tv", "-o", "json");

        assertThat(result.toString(), result.exitCode(), is(1));
        assertThat(result.toString(), result.json().size(), is(0));
        Sockets.assertPresent(CLUSTER.redis(), web);
        assertThat(web.client().isClosed(), is(false));
    }

    @Test
    void namingBothASocketAndAUserIsAUsageErrorThatClosesNothing() {
        Population.Socket web = population.connect(nodeA, alice, "web", "Firefox");
        population.awaitRecorded();

        GatewayCtl.Result result = ctl.run("disconnect", "--socket", web.socketId(), "--user", alice);

        assertThat(result.toString(), result.exitCode(), is(2));
        assertThat(result.toString(), result.stdout(), is(""));
        assertThat(result.toString(), result.stderrLines().size(), is(1));
        Sockets.assertPresent(CLUSTER.redis(), web);
        assertThat(web.client().isClosed(), is(false));
    }

    @Test
    void aNodeThatCannotCloseTheSocketInTimeIsReportedAsTimeoutAndTheCommandExitsOne() throws Exception {
        Population.Socket phone = population.connect(nodeB, alice, "phone", "Pixel 8");
        population.awaitRecorded();

        GatewayCtl.Result result;
        signal("STOP", nodeB);
        try {
            // Frozen, node B still has its record (3 s TTL) and its subscription: the command reaches it, nothing acts.
            result = ctl.run("disconnect", "--socket", phone.socketId(), "--timeout", "500ms", "-o", "json");
        } finally {
            signal("CONT", nodeB);
        }

        assertThat(result.toString(), result.exitCode(), is(1));
        assertThat(results(result.json()), is(Map.of(phone.socketId(), "timeout")));
        // Thawed, the node reads the command it was sent and closes the socket after all.
        assertThat(phone.client().awaitClose().code(), is(DISCONNECTED_BY_OPERATOR));
    }

    @Test
    void aNodeKilledBeforeItsRecordLapsedIsNamedOnStderrAndItsSocketReportedAsTimeout() {
        String nodeId = "dc-killed-" + test;
        // Its record lives 60 s: within the test the node is dead, but looks alive.
        GatewayProcess killed = CLUSTER.start(nodeId, Map.of("NODE_TTL_SECONDS", "60"));
        Population.Socket phone = population.connect(killed, alice, "phone", "Pixel 8");
        population.awaitRecorded();
        killed.kill();

        GatewayCtl.Result result = ctl.run("disconnect", "--user", alice, "--timeout", "500ms", "-o", "json");

        assertThat(result.toString(), result.exitCode(), is(1));
        assertThat(results(result.json()), is(Map.of(phone.socketId(), "timeout")));
        assertThat(result.toString(), result.stderrLines().size(), is(1));
        assertThat(result.toString(), result.stderr(), containsString(nodeId));
        Sockets.assertPresent(CLUSTER.redis(), phone);
    }

    /** Socket id to result, from {@code disconnect -o json}. */
    private static Map<String, String> results(JsonNode rows) {
        Map<String, String> results = new LinkedHashMap<>();
        rows.forEach(row -> results.put(row.path("socketId").asText(), row.path("result").asText()));
        return results;
    }

    /** {@code kill -SIGNAL pid} for a node this test started (STOP freezes it, CONT thaws it). */
    private static void signal(String signal, GatewayProcess node) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(node.pid())).inheritIO().start();
        assertThat("kill -" + signal + " " + node.pid() + " finished", kill.waitFor(5, TimeUnit.SECONDS), is(true));
        assertThat("kill -" + signal + " " + node.pid(), kill.exitValue(), is(0));
    }
}
