package dev.gateway.it.ctl;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * PROTOCOL section 7 against a node killed with {@code kill -9}, caught in the window after its {@code ws:node} record
 * lapsed and before a live node reaps it: {@code nodes} lists it {@code alive: false} with its socket set, and
 * {@code disconnect} removes its sockets itself ({@code cleaned}), publishing the {@code presence:offline}
 * ({@code expired}) that a live node would.
 * <p>
 * The window is made wide on purpose: each test's doomed node has a record living 2 s, while the surviving node,
 * shared by the class, sweeps for dead nodes only every 30 s (NODE_HEARTBEAT_SECONDS; its record lives 90 s) and
 * reaps a node only when it is missing in two sweeps in a row, so nothing but gatewayctl cleans a dead node within
 * the class's run. Redis is kept between tests (emptying it would delete the survivor's record for up to 30 s), so
 * each test has a doomed node and users of its own:
 * <pre>
 *   dn-live:     bob-N (subscribed to carol-N and erin-N)    erin-N@web
 *   dn-dead-N:   carol-N@tablet   dave-N@phone   erin-N@phone      (then kill -9)
 * </pre>
 */
class DeadNodeCommandsTest {
    private static final String LIVE = "dn-live";
    private static final Duration EVENT = Duration.ofSeconds(5);
    private static final Duration QUIET = Duration.ofSeconds(1);
    private static final AtomicInteger TESTS = new AtomicInteger();

    @RegisterExtension
    static final GatewayCluster CLUSTER = GatewayCluster.onRedis().redis(TestRedis.keptBetweenTests());

    private static GatewayProcess live;

    private final InProcessCtl ctl = new InProcessCtl(Map.of("REDIS_URL", CLUSTER.redis().url(), "JWT_SECRET", Tokens.SECRET));
    private final GatewayRecords records = CLUSTER.records();
    private final int test = TESTS.incrementAndGet();
    private final String dead = "dn-dead-" + test;
    private final String carolId = "carol-" + test;
    private final String erinId = "erin-" + test;
    private WsClient bob;
    private Population.Socket carol;
    private Population.Socket dave;
    private Population.Socket erinOnLive;
    private Population.Socket erinOnDead;

    @BeforeAll
    static void startTheSurvivor() {
        live = CLUSTER.start(LIVE, Map.of("NODE_HEARTBEAT_SECONDS", "30", "NODE_TTL_SECONDS", "90"));
    }

    @BeforeEach
    void killANodeWithClientsOnIt() {
        GatewayProcess doomed = CLUSTER.start(dead, Map.of("NODE_TTL_SECONDS", "2"));
        Population population = new Population(CLUSTER.gateways(), CLUSTER.redis());
        bob = population.connect(live, "bob-" + test, "laptop", "MacBook").client();
        carol = population.connect(doomed, carolId, "tablet", "iPad");
        dave = population.connect(doomed, "dave-" + test, "phone", "Pixel 8");
        erinOnLive = population.connect(live, erinId, "web", "Firefox");
        erinOnDead = population.connect(doomed, erinId, "phone", "Pixel 8");
        population.awaitRecorded();
        bob.subscribe(carolId, erinId);

        doomed.kill();

        Poll.eventually("ws:node:" + dead + " after kill -9", () -> records.exists(GatewayRecords.nodeKey(dead)), is(false));
    }

    @Test
    void nodesListsTheKilledNodeAsNotAliveWhileItsSocketSetRemains() {
        GatewayCtl.Result table = ctl.run("nodes");
        GatewayCtl.Result json = ctl.run("nodes", "-o", "json");

        assertThat(table.toString(), table.exitCode(), is(0));
        Table parsed = Table.parse(table.stdout());
        Map<String, String> deadRow = parsed.row("NODE", dead).orElseThrow();
        assertThat(table.toString(), deadRow.get("ALIVE"), is("no"));
        assertThat(table.toString(), deadRow.get("SOCKETS"), is("3"));
        assertThat(table.toString(), deadRow.get("ADDRESS"), is("-"));
        assertThat(table.toString(), deadRow.get("HEARTBEAT"), is("-"));
        assertThat(table.toString(), parsed.row("NODE", LIVE).orElseThrow().get("ALIVE"), is("yes"));

        assertThat(json.toString(), json.exitCode(), is(0));
        JsonNode deadJson = byNodeId(json.json()).get(dead);
        assertThat(json.toString(), deadJson.path("alive").asBoolean(true), is(false));
        assertThat(json.toString(), deadJson.path("connections").asInt(), is(3));
        assertThat(json.toString(), deadJson.path("lastHeartbeat").isNull() || deadJson.path("lastHeartbeat").isMissingNode(),
                   is(true));
        assertThat(json.toString(), byNodeId(json.json()).get(LIVE).path("alive").asBoolean(), is(true));
    }

    @Test
    void disconnectingAUserOfTheKilledNodeReportsCleanedAndRemovesTheirRecords() {
        GatewayCtl.Result result = ctl.run("disconnect", "--user", carolId, "-o", "json");

        assertThat(result.toString(), result.exitCode(), is(0));
        assertThat(result.toString(), result.json().size(), is(1));
        JsonNode row = result.json().get(0);
        assertThat(result.toString(), row.path("socketId").asText(), is(carol.socketId()));
        assertThat(result.toString(), row.path("userId").asText(), is(carolId));
        assertThat(result.toString(), row.path("serverId").asText(), is(dead));
        assertThat(result.toString(), row.path("result").asText(), is("cleaned"));
        Sockets.assertGone(CLUSTER.redis(), carol);
        assertThat(records.keysOfUser(carolId), is(List.of()));
        assertThat(records.onlineUsers(), not(hasItem(carolId)));
        Sockets.assertPresent(CLUSTER.redis(), dave);
    }

    @Test
    void aSubscriberOnTheSurvivingNodeSeesTheCleanedUserGoOfflineExpiredOnce() {
        GatewayCtl.Result result = ctl.run("disconnect", "--user", carolId);

        assertThat(result.toString(), result.exitCode(), is(0));
        assertThat(result.toString(), Table.parse(result.stdout()).column("RESULT"), is(List.of("cleaned")));
        JsonNode offline = bob.awaitEvent("presence:offline", EVENT);
        assertThat(offline.path("userId").asText(), is(carolId));
        assertThat(offline.path("reason").asText(), is("expired"));
        bob.assertNoEvent("presence:offline", QUIET);
    }

    @Test
    void cleaningTheKilledNodesLastSocketForgetsTheNode() {
        GatewayCtl.Result first = ctl.run("disconnect", "--user", carolId);
        GatewayCtl.Result second = ctl.run("disconnect", "--user", erinId, "--device", "phone");
        GatewayCtl.Result last = GatewayCtl.launcher(Map.of("REDIS_URL", CLUSTER.redis().url())).run("disconnect", "--user", dave.userId());

        assertThat(first.toString(), first.exitCode(), is(0));
        assertThat(second.toString(), second.exitCode(), is(0));
        assertThat(last.toString(), last.exitCode(), is(0));
        assertThat(last.toString(), Table.parse(last.stdout()).column("RESULT"), is(List.of("cleaned")));
        GatewayCtl.Result nodes = ctl.run("nodes", "-o", "json");
        assertThat(nodes.toString(), byNodeId(nodes.json()).keySet(), not(hasItem(dead)));
        assertThat(nodes.toString(), byNodeId(nodes.json()).keySet(), hasItem(LIVE));
        assertThat(records.exists(GatewayRecords.nodeSocketsKey(dead)), is(false));
    }

    @Test
    void disconnectingAUserOnALiveAndAKilledNodeClosesOneSocketAndCleansTheOther() {
        GatewayCtl.Result result = ctl.run("disconnect", "--user", erinId, "--reason", "erin removed", "-o", "json");

        assertThat(result.toString(), result.exitCode(), is(0));
        Map<String, String> results = new LinkedHashMap<>();
        result.json().forEach(row -> results.put(row.path("socketId").asText(), row.path("result").asText()));
        assertThat(result.toString(), results,
                   is(Map.of(erinOnLive.socketId(), "closed", erinOnDead.socketId(), "cleaned")));
        WsClient.Close close = erinOnLive.client().awaitClose();
        assertThat(close.code(), is(4403));
        assertThat(close.reason(), is("erin removed"));
        Sockets.assertGone(CLUSTER.redis(), List.of(erinOnLive, erinOnDead));
        assertThat(bob.awaitEvent("presence:offline", EVENT).path("userId").asText(), is(erinId));
        bob.assertNoEvent("presence:offline", QUIET);
    }

    private static Map<String, JsonNode> byNodeId(JsonNode array) {
        Map<String, JsonNode> nodes = new LinkedHashMap<>();
        array.forEach(node -> nodes.put(node.path("nodeId").asText(), node));
        return nodes;
    }
}
