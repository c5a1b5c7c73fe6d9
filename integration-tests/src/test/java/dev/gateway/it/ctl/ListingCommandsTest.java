package dev.gateway.it.ctl;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gateway.it.support.GatewayCluster;
import dev.gateway.it.support.GatewayCtl;
import dev.gateway.it.support.GatewayProcess;
import dev.gateway.it.support.WsClient;
import dev.gateway.testsupport.Poll;
import dev.gateway.testsupport.TestRedis;
import dev.gateway.testsupport.Tokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

/**
 * PROTOCOL section 7, the read-only commands ({@code connections}, {@code devices}, {@code online}, {@code show},
 * {@code nodes}) in table and JSON form, against a Redis that two real gateway nodes filled for real clients:
 * <pre>
 *   ctl-a: alice@web (Firefox)   bob@laptop (MacBook)
 *   ctl-b: alice@phone (Pixel 8) alice@web (Firefox, a second tab)   carol@tablet (iPad)
 * </pre>
 * The nodes and clients serve the whole class, and Redis is kept between tests: every test only reads (one adds a
 * user of its own and takes it away again). Device names are at most 10 characters, the least a table cuts free text
 * to, so rows compare whole at any width. Most runs use the packaged jar in-process ({@link InProcessCtl}); the
 * {@code theLauncher...} tests run the real {@code bin/gatewayctl}.
 */
class ListingCommandsTest {
    private static final String NODE_A = "ctl-a";
    private static final String NODE_B = "ctl-b";
    /** ISO-8601 UTC to the second, as tables print instants. */
    private static final String TABLE_INSTANT = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z";
    /** Well within the gateways' presence TTL (30 s): the class's clients stay online however long it runs. */
    private static final Duration PING_EVERY = Duration.ofSeconds(5);

    @RegisterExtension
    static final GatewayCluster CLUSTER = GatewayCluster.onRedis().redis(TestRedis.keptBetweenTests());

    private static GatewayProcess nodeA;
    private static GatewayProcess nodeB;
    private static Population population;

    private final InProcessCtl ctl = new InProcessCtl(Map.of("REDIS_URL", CLUSTER.redis().url(), "JWT_SECRET", Tokens.SECRET));

    @BeforeAll
    static void connectClientsToTwoNodes() {
        List<GatewayProcess> nodes = Nodes.startConcurrently(CLUSTER.gateways(), Map.of(), NODE_A, NODE_B);
        nodeA = nodes.get(0);
        nodeB = nodes.get(1);
        population = new Population(CLUSTER.gateways(), CLUSTER.redis());
        population.connect(nodeA, "alice", "web", "Firefox");
        population.connect(nodeA, "bob", "laptop", "MacBook");
        population.connect(nodeB, "alice", "phone", "Pixel 8");
        population.connect(nodeB, "alice", "web", "Firefox");
        population.connect(nodeB, "carol", "tablet", "iPad");
        population.awaitRecorded();
        population.sockets().forEach(socket -> socket.client().keepPinging(PING_EVERY));
    }

    // ---------------------------------------------------------------- connections

    @Test
    void connectionsPrintsATableWithOneRowPerSocketUnderTheContractsColumns() {
        GatewayCtl.Result result = ctl.run("connections");

        assertThat(result.toString(), result.exitCode(), is(0));
        Table table = Table.parse(result.stdout());
        assertThat(table.headers(), is(List.of("SOCKET", "USER", "DEVICE", "NAME", "NODE", "IP", "CONNECTED", "AGE")));
        assertThat(table.column("SOCKET"), containsInAnyOrder(population.socketIds(s -> true).toArray()));
        for (Population.Socket socket : population.sockets()) {
            Map<String, String> row = table.row("SOCKET", socket.socketId()).orElseThrow();
            assertThat(result.toString(), row.get("USER"), is(socket.userId()));
            assertThat(result.toString(), row.get("DEVICE"), is(socket.deviceId()));
            assertThat(result.toString(), row.get("NAME"), is(socket.deviceName()));
            assertThat(result.toString(), row.get("NODE"), is(socket.nodeId()));
            assertThat(result.toString(), row.get("IP"), is("127.0.0.1"));
            assertThat(result.toString(), row.get("CONNECTED"), matchesPattern(TABLE_INSTANT));
            assertThat(result.toString(), row.get("AGE"), matchesPattern("\\d+[smhd].*"));
        }
    }

    @Test
    void connectionsTableListsSocketsByUserThenConnectionTime() {
        GatewayCtl.Result result = ctl.run("connections");

        assertThat(result.toString(), Table.parse(result.stdout()).column("USER"),
                   is(List.of("alice", "alice", "alice", "bob", "carol")));
    }

    @Test
    void connectionsAsJsonIsAnArrayOfTheConnectionRecordsWithEveryFieldOfTheContract() {
        GatewayCtl.Result result = ctl.run("connections", "-o", "json");

        assertThat(result.toString(), result.exitCode(), is(0));
        JsonNode array = result.json();
        assertThat(result.toString(), array.isArray(), is(true));
        assertThat(socketIds(array), is(population.socketIds(s -> true)));
        for (JsonNode record : array) {
            assertConnectionRecord(record, population.socket(record.path("socketId").asText()));
        }
    }

    @Test
    void connectionsOfAUserListThatUsersSocketsOnBothNodesAndNoOthers() {
        GatewayCtl.Result json = ctl.run("connections", "--user", "alice", "-o", "json");
        GatewayCtl.Result table = ctl.run("connections", "--user", "alice");

        assertThat(json.toString(), json.exitCode(), is(0));
        assertThat(socketIds(json.json()), is(population.socketsOfUser("alice")));
        assertThat(nodeIds(json.json()), is(Set.of(NODE_A, NODE_B)));
        assertThat(table.toString(), table.exitCode(), is(0));
        assertThat(new HashSet<>(Table.parse(table.stdout()).column("SOCKET")), is(population.socketsOfUser("alice")));
    }

    @Test
    void connectionsOfANodeListOnlyTheSocketsThatNodeHolds() {
        GatewayCtl.Result json = ctl.run("connections", "--node", NODE_B, "-o", "json");
        GatewayCtl.Result table = ctl.run("connections", "--node", NODE_B);

        assertThat(json.toString(), json.exitCode(), is(0));
        assertThat(socketIds(json.json()), is(population.socketsOfNode(NODE_B)));
        assertThat(table.toString(), table.exitCode(), is(0));
        Table parsed = Table.parse(table.stdout());
        assertThat(new HashSet<>(parsed.column("SOCKET")), is(population.socketsOfNode(NODE_B)));
        assertThat(new HashSet<>(parsed.column("NODE")), is(Set.of(NODE_B)));
    }

    @Test
    void connectionsOfAUserOnANodeListOnlyThatUsersSocketsOnThatNode() {
        GatewayCtl.Result result = ctl.run("connections", "--user", "alice", "--node", NODE_A, "-o", "json");

        assertThat(result.toString(), result.exitCode(), is(0));
        assertThat(socketIds(result.json()),
                   is(population.socketIds(s -> s.userId().equals("alice") && s.nodeId().equals(NODE_A))));
    }

    @Test
    void outputAndRedisOptionsWorkBeforeTheCommandNameAsAfterIt() {
        InProcessCtl noRedisUrl = new InProcessCtl(Map.of("JWT_SECRET", Tokens.SECRET));

        GatewayCtl.Result before = noRedisUrl.run("--redis", CLUSTER.redis().url(), "-o", "json", "connections", "--user", "bob");
        GatewayCtl.Result after = noRedisUrl.run("connections", "--user", "bob", "-o", "json", "--redis", CLUSTER.redis().url());

        assertThat(before.toString(), before.exitCode(), is(0));
        assertThat(after.toString(), after.exitCode(), is(0));
        assertThat(socketIds(before.json()), is(population.socketsOfUser("bob")));
        assertThat(after.json(), is(before.json()));
    }

    // ---------------------------------------------------------------- devices

    @Test
    void devicesPrintsOneRowPerDeviceOfTheUserWithItsSocketCount() {
        GatewayCtl.Result result = ctl.run("devices", "--user", "alice");

        assertThat(result.toString(), result.exitCode(), is(0));
        Table table = Table.parse(result.stdout());
        assertThat(table.headers(), is(List.of("DEVICE", "NAME", "SOCKETS", "LAST SEEN")));
        assertThat(table.column("DEVICE"), containsInAnyOrder("phone", "web"));
        Map<String, String> phone = table.row("DEVICE", "phone").orElseThrow();
        Map<String, String> web = table.row("DEVICE", "web").orElseThrow();
        assertThat(phone.get("NAME"), is("Pixel 8"));
        assertThat(phone.get("SOCKETS"), is("1"));
        assertThat(phone.get("LAST SEEN"), matchesPattern(TABLE_INSTANT));
        assertThat(web.get("NAME"), is("Firefox"));
        assertThat(web.get("SOCKETS"), is("2"));
        assertThat(web.get("LAST SEEN"), matchesPattern(TABLE_INSTANT));
    }

    @Test
    void devicesAsJsonCarriesEachDevicesSocketIdsAndLastSeen() {
        GatewayCtl.Result result = ctl.run("devices", "--user", "alice", "-o", "json");

        assertThat(result.toString(), result.exitCode(), is(0));
        Map<String, JsonNode> devices = byField(result.json(), "deviceId");
        assertThat(devices.keySet(), is(Set.of("phone", "web")));
        Set<String> webSockets = population.socketIds(s -> s.userId().equals("alice") && s.deviceId().equals("web"));
        Set<String> phoneSockets = population.socketIds(s -> s.userId().equals("alice") && s.deviceId().equals("phone"));
        assertDevice(devices.get("web"), "Firefox", webSockets);
        assertDevice(devices.get("phone"), "Pixel 8", phoneSockets);
    }

    // ---------------------------------------------------------------- online

    @Test
    void onlineListsEveryOnlineUserWithTheirSocketCount() {
        GatewayCtl.Result result = ctl.run("online");

        assertThat(result.toString(), result.exitCode(), is(0));
        Table table = Table.parse(result.stdout());
        assertThat(table.headers(), is(List.of("USER", "SOCKETS", "LAST SEEN")));
        assertThat(table.column("USER"), containsInAnyOrder("alice", "bob", "carol"));
        assertThat(table.row("USER", "alice").orElseThrow().get("SOCKETS"), is("3"));
        assertThat(table.row("USER", "bob").orElseThrow().get("SOCKETS"), is("1"));
        assertThat(table.row("USER", "carol").orElseThrow().get("SOCKETS"), is("1"));
        for (Map<String, String> row : table.rows()) {
            assertThat(row.get("LAST SEEN"), matchesPattern(TABLE_INSTANT));
        }
    }

    @Test
    void onlineAsJsonGivesEachUsersSocketCountAndLastSeen() {
        Instant asked = Instant.now();
        GatewayCtl.Result result = ctl.run("online", "-o", "json");

        assertThat(result.toString(), result.exitCode(), is(0));
        Map<String, JsonNode> users = byField(result.json(), "userId");
        assertThat(users.keySet(), is(Set.of("alice", "bob", "carol")));
        assertThat(users.get("alice").path("sockets").asInt(), is(3));
        assertThat(users.get("bob").path("sockets").asInt(), is(1));
        assertThat(users.get("carol").path("sockets").asInt(), is(1));
        Instant firstConnect = population.sockets().getFirst().connectedAfter();
        for (JsonNode user : users.values()) {
            Instant lastSeen = Instant.parse(user.path("lastSeen").asText());
            assertThat(user.toString(), lastSeen, greaterThanOrEqualTo(firstConnect.minusSeconds(1)));
            assertThat(user.toString(), lastSeen, lessThanOrEqualTo(asked.plusSeconds(1)));
        }
    }

    @Test
    void onlineCountPrintsTheBareNumberOfOnlineUsers() {
        GatewayCtl.Result result = ctl.run("online", "--count");

        assertThat(result.toString(), result.exitCode(), is(0));
        assertThat(result.stdout(), is("3\n"));
    }

    @Test
    void onlineCountAsJsonIsAnObjectWithTheCount() {
        GatewayCtl.Result result = ctl.run("online", "--count", "-o", "json");

        assertThat(result.toString(), result.exitCode(), is(0));
        assertThat(result.json().path("count").asInt(-1), is(3));
    }

    @Test
    void onlineCountFollowsAUserComingAndGoing() {
        WsClient walt = CLUSTER.connect(nodeB, "walt");
        Poll.eventually("online users", () -> CLUSTER.records().onlineUsers(), hasItem("walt"));
        GatewayCtl.Result withWalt = ctl.run("online", "--count");
        walt.closeNormally();
        Poll.eventually("online users", () -> CLUSTER.records().onlineUsers(), not(hasItem("walt")));
        GatewayCtl.Result withoutWalt = ctl.run("online", "--count");

        assertThat(withWalt.toString(), withWalt.stdout(), is("4\n"));
        assertThat(withoutWalt.toString(), withoutWalt.stdout(), is("3\n"));
    }

    // ---------------------------------------------------------------- show

    @Test
    void showPrintsEveryFieldOfTheSocketOnePerLine() {
        Population.Socket socket = population.sockets().get(2);

        GatewayCtl.Result result = ctl.run("show", socket.socketId());

        assertThat(result.toString(), result.exitCode(), is(0));
        Map<String, String> fields = fields(result.stdout());
        assertThat(result.toString(), fields.keySet(),
                   is(Set.of("socketId", "userId", "roleContextId", "deviceId", "deviceName", "userAgent", "ipAddress",
                             "connectedAt", "age", "serverId", "lastSeen")));
        assertThat(fields.get("socketId"), is(socket.socketId()));
        assertThat(fields.get("userId"), is("alice"));
        assertThat(fields.get("roleContextId"), is(Population.ROLE));
        assertThat(fields.get("deviceId"), is("phone"));
        assertThat(fields.get("deviceName"), is("Pixel 8"));
        assertThat(fields.get("userAgent"), is(socket.userAgent()));
        assertThat(fields.get("ipAddress"), is("127.0.0.1"));
        assertThat(fields.get("serverId"), is(NODE_B));
        assertThat(Instant.parse(fields.get("connectedAt")), greaterThanOrEqualTo(socket.connectedAfter().minusSeconds(1)));
        assertThat(Instant.parse(fields.get("lastSeen")), greaterThanOrEqualTo(socket.connectedAfter().minusSeconds(1)));
        assertThat(fields.get("age"), matchesPattern("\\d+[smhd].*"));
    }

    @Test
    void showAsJsonIsTheConnectionRecord() {
        Population.Socket socket = population.sockets().get(1);

        GatewayCtl.Result result = ctl.run("show", socket.socketId(), "-o", "json");

        assertThat(result.toString(), result.exitCode(), is(0));
        assertConnectionRecord(result.json(), socket);
    }

    // ---------------------------------------------------------------- nodes

    @Test
    void nodesPrintsBothLiveNodesWithTheirAddressAndSocketCount() {
        GatewayCtl.Result result = ctl.run("nodes");

        assertThat(result.toString(), result.exitCode(), is(0));
        Table table = Table.parse(result.stdout());
        assertThat(table.headers(), is(List.of("NODE", "ADDRESS", "SOCKETS", "STARTED", "HEARTBEAT", "ALIVE")));
        assertThat(table.column("NODE"), is(List.of(NODE_A, NODE_B)));
        assertNodeRow(table.row("NODE", NODE_A).orElseThrow(), nodeA, 2);
        assertNodeRow(table.row("NODE", NODE_B).orElseThrow(), nodeB, 3);
    }

    @Test
    void nodesAsJsonCarriesEachNodesHeartbeatRecordAndAliveTrue() {
        Instant now = Instant.now();
        GatewayCtl.Result result = ctl.run("nodes", "-o", "json");

        assertThat(result.toString(), result.exitCode(), is(0));
        Map<String, JsonNode> nodes = byField(result.json(), "nodeId");
        assertThat(nodes.keySet(), is(Set.of(NODE_A, NODE_B)));
        for (GatewayProcess node : List.of(nodeA, nodeB)) {
            JsonNode json = nodes.get(node.nodeId());
            assertThat(json.toString(), json.path("alive").isBoolean(), is(true));
            assertThat(json.toString(), json.path("alive").asBoolean(), is(true));
            assertThat(json.toString(), json.path("host").asText(""), not(""));
            assertThat(json.toString(), json.path("port").asInt(), is(node.port()));
            assertThat(json.toString(), json.path("connections").asInt(),
                       is(population.socketsOfNode(node.nodeId()).size()));
            Instant startedAt = Instant.parse(json.path("startedAt").asText());
            Instant lastHeartbeat = Instant.parse(json.path("lastHeartbeat").asText());
            assertThat(json.toString(), startedAt, lessThanOrEqualTo(lastHeartbeat));
            // node heartbeat every second here; the record lives 3 s
            assertThat(json.toString(), lastHeartbeat, greaterThanOrEqualTo(now.minusSeconds(5)));
        }
    }

    // ---------------------------------------------------------------- the real launcher

    @Test
    void theLauncherListsAUsersConnectionsAsJson() {
        GatewayCtl.Result result = launcher().run("connections", "--user", "alice", "-o", "json");

        assertThat(result.toString(), result.exitCode(), is(0));
        assertThat(socketIds(result.json()), is(population.socketsOfUser("alice")));
    }

    @Test
    void theLauncherPrintsTheNodesTable() {
        GatewayCtl.Result result = launcher().run("nodes");

        assertThat(result.toString(), result.exitCode(), is(0));
        assertThat(Table.parse(result.stdout()).column("ALIVE"), is(List.of("yes", "yes")));
    }

    @Test
    void theLauncherCountsTheOnlineUsers() {
        GatewayCtl.Result result = launcher().run("online", "--count");

        assertThat(result.toString(), result.exitCode(), is(0));
        assertThat(result.stdout(), is("3\n"));
    }

    @Test
    void theLauncherShowsOneSocket() {
        Population.Socket socket = population.sockets().getFirst();

        GatewayCtl.Result result = launcher().run("show", socket.socketId(), "-o", "json");

        assertThat(result.toString(), result.exitCode(), is(0));
        assertConnectionRecord(result.json(), socket);
    }

    // ---------------------------------------------------------------- nothing matched

    @Test
    void connectionsOfAnUnknownUserPrintAnEmptyJsonArrayAndExitOne() {
        GatewayCtl.Result result = ctl.run("connections", "--user", "nobody", "-o", "json");

        assertThat(result.toString(), result.exitCode(), is(1));
        assertThat(result.toString(), result.json().isArray(), is(true));
        assertThat(result.toString(), result.json().size(), is(0));
    }

    @Test
    void connectionsOfAnUnknownUserPrintAnEmptyTableAndExitOne() {
        GatewayCtl.Result result = ctl.run("connections", "--user", "nobody");

        assertThat(result.toString(), result.exitCode(), is(1));
        assertThat(result.toString(), Table.parse(result.stdout()).rows(), is(empty()));
    }

    @Test
    void connectionsOfAnUnknownNodeExitOne() {
        GatewayCtl.Result result = ctl.run("connections", "--node", "no-such-node", "-o", "json");

        assertThat(result.toString(), result.exitCode(), is(1));
        assertThat(result.toString(), result.json().size(), is(0));
    }

    @Test
    void devicesOfAnUnknownUserPrintAnEmptyJsonArrayAndExitOne() {
        GatewayCtl.Result result = ctl.run("devices", "--user", "nobody", "-o", "json");

        assertThat(result.toString(), result.exitCode(), is(1));
        assertThat(result.toString(), result.json().isArray(), is(true));
        assertThat(result.toString(), result.json().size(), is(0));
    }

    @Test
    void showOfAnUnknownSocketPrintsNothingAndExitsOne() {
        GatewayCtl.Result result = ctl.run("show", "00000000-0000-0000-0000-000000000000");

        assertThat(result.toString(), result.exitCode(), is(1));
        assertThat(result.toString(), result.stdout(), is(""));
    }

    @Test
    void showOfAnUnknownSocketAsJsonPrintsNullAndExitsOne() {
        GatewayCtl.Result result = ctl.run("show", "00000000-0000-0000-0000-000000000000", "-o", "json");

        assertThat(result.toString(), result.exitCode(), is(1));
        assertThat(result.toString(), result.json().isNull(), is(true));
    }

    // ---------------------------------------------------------------- helpers

    private static GatewayCtl launcher() {
        return GatewayCtl.launcher(Map.of("REDIS_URL", CLUSTER.redis().url(), "JWT_SECRET", Tokens.SECRET));
    }

    private static void assertConnectionRecord(JsonNode record, Population.Socket socket) {
        String what = record.toString();
        assertThat(what, fieldNames(record).containsAll(List.of("userId", "socketId", "roleContextId", "deviceId",
                                                                 "deviceName", "userAgent", "ipAddress", "connectedAt",
                                                                 "serverId")), is(true));
        assertThat(what, record.path("userId").asText(), is(socket.userId()));
        assertThat(what, record.path("socketId").asText(), is(socket.socketId()));
        assertThat(what, record.path("roleContextId").asText(), is(Population.ROLE));
        assertThat(what, record.path("deviceId").asText(), is(socket.deviceId()));
        assertThat(what, record.path("deviceName").asText(), is(socket.deviceName()));
        assertThat(what, record.path("userAgent").asText(), is(socket.userAgent()));
        assertThat(what, record.path("ipAddress").asText(), is("127.0.0.1"));
        assertThat(what, record.path("serverId").asText(), is(socket.nodeId()));
        Instant connectedAt = Instant.parse(record.path("connectedAt").asText());
        assertThat(what, connectedAt, greaterThanOrEqualTo(socket.connectedAfter().minusSeconds(1)));
        assertThat(what, connectedAt, lessThanOrEqualTo(Instant.now()));
    }

    private static void assertDevice(JsonNode device, String name, Set<String> socketIds) {
        String what = device.toString();
        assertThat(what, device.path("deviceName").asText(), is(name));
        assertThat(what, device.path("sockets").asInt(), is(socketIds.size()));
        Set<String> listed = new TreeSet<>();
        device.path("socketIds").forEach(id -> listed.add(id.asText()));
        assertThat(what, listed, is(socketIds));
        assertThat(what, Instant.parse(device.path("lastSeen").asText()), lessThanOrEqualTo(Instant.now()));
    }

    private static void assertNodeRow(Map<String, String> row, GatewayProcess node, int sockets) {
        assertThat(row.toString(), row.get("ADDRESS"), matchesPattern(".+:" + node.port()));
        assertThat(row.toString(), row.get("SOCKETS"), is(Integer.toString(sockets)));
        assertThat(row.toString(), row.get("STARTED"), matchesPattern(TABLE_INSTANT));
        assertThat(row.toString(), row.get("HEARTBEAT"), matchesPattern("\\d+(ms|s) ago"));
        assertThat(row.toString(), row.get("ALIVE"), is("yes"));
    }

    /** The {@code name: value} lines of {@code show}. */
    private static Map<String, String> fields(String stdout) {
        Map<String, String> fields = new LinkedHashMap<>();
        stdout.lines().filter(line -> !line.isBlank()).forEach(line -> {
            int colon = line.indexOf(':');
            fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
        });
        return fields;
    }

    static Set<String> socketIds(JsonNode array) {
        return values(array, "socketId");
    }

    private static Set<String> nodeIds(JsonNode array) {
        return values(array, "serverId");
    }

    private static Set<String> values(JsonNode array, String field) {
        Set<String> values = new TreeSet<>();
        array.forEach(element -> values.add(element.path(field).asText()));
        return values;
    }

    private static Map<String, JsonNode> byField(JsonNode array, String field) {
        Map<String, JsonNode> elements = new LinkedHashMap<>();
        array.forEach(element -> elements.put(element.path(field).asText(), element));
        return elements;
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
