package dev.gateway.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.gateway.protocol.event.Json;
import dev.gateway.testsupport.TestRedis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.startsWith;

class ListingCommandsTest {
    private static final ObjectMapper MAPPER = Json.mapper();
    @RegisterExtension
    static final TestRedis REDIS = new TestRedis();

    @BeforeEach
    void fill() {
        new Fixture(REDIS).fill();
    }

    @Test
    void connectionsListsEverySocketOrderedByUserThenConnectionTime() {
        Cli.Result result = gatewayctl("connections");

        assertThat(result.exitCode(), is(0));
        assertThat(result.err(), is(""));
        // Wider than 80 columns even so: ids, addresses and times are never cut, only free text (NAME).
        assertThat(result.lines(), contains(
                "SOCKET          USER   DEVICE  NAME        NODE     IP             CONNECTED             AGE",
                "alice-web-1     alice  web     Firefox...  gw-a     203.0.113.1    2025-06-01T10:00:00Z  10m0s",
                "alice-phone-1   alice  phone   Pixel 8     gw-b     203.0.113.61   2025-06-01T10:01:00Z  9m0s",
                "alice-web-2     alice  web     Firefox...  gw-b     203.0.113.121  2025-06-01T10:02:00Z  8m0s",
                "bob-laptop-1    bob    laptop  MacBook     gw-a     203.0.113.31   2025-06-01T10:00:30Z  9m30s",
                "carol-tablet-1  carol  tablet  iPad        gw-dead  203.0.113.41   2025-06-01T10:00:40Z  9m20s",
                "dave-desk-1     dave   desk    Desk        gw-dead  203.0.113.91   2025-06-01T10:01:30Z  8m30s",
                "dave-desk-2     dave   desk    Desk        gw-a     203.0.113.181  2025-06-01T10:03:00Z  7m0s"));
    }

    @Test
    void aWiderTerminalShowsFreeTextWhole() {
        Map<String, String> wide = Map.of("REDIS_URL", REDIS.url(), "COLUMNS", "120");

        Cli.Result result = Cli.run(wide, Fixture.CLOCK, "connections", "--user", "alice");

        assertThat(result.lines().get(1),
                   is("alice-web-1    alice  web     Firefox on Linux  gw-a  203.0.113.1    2025-06-01T10:00:00Z  10m0s"));
    }

    @Test
    void connectionsAsJsonAreTheConnectionRecords() throws Exception {
        Cli.Result result = gatewayctl("connections", "--user", "bob", "-o", "json");

        assertThat(result.exitCode(), is(0));
        JsonNode records = MAPPER.readTree(result.out());
        assertThat(records.size(), is(1));
        assertThat(MAPPER.convertValue(records.get(0), Map.class), is(Map.of(
                "userId", "bob",
                "socketId", "bob-laptop-1",
                "roleContextId", "member",
                "deviceId", "laptop",
                "deviceName", "MacBook",
                "userAgent", "test-agent/1.0",
                "ipAddress", "203.0.113.31",
                "connectedAt", "2025-06-01T10:00:30Z",
                "serverId", "gw-a")));
    }

    @Test
    void everyConnectionAsJsonIsStreamedAsOneArray() throws Exception {
        Cli.Result result = gatewayctl("connections", "-o", "json");

        assertThat(result.exitCode(), is(0));
        assertThat(socketIds(MAPPER.readTree(result.out())), containsInAnyOrder(
                "alice-web-1", "alice-phone-1", "alice-web-2", "bob-laptop-1", "carol-tablet-1", "dave-desk-1", "dave-desk-2"));
    }

    @Test
    void connectionsOfAUserSpanEveryNodeAndDevice() throws Exception {
        Cli.Result result = gatewayctl("connections", "--user", "alice", "-o", "json");

        assertThat(socketIds(MAPPER.readTree(result.out())), contains("alice-web-1", "alice-phone-1", "alice-web-2"));
    }

    @Test
    void connectionsOfANodeAreTheSocketsItHolds() throws Exception {
        Cli.Result result = gatewayctl("connections", "--node", "gw-a", "-o", "json");

        assertThat(socketIds(MAPPER.readTree(result.out())), contains("alice-web-1", "bob-laptop-1", "dave-desk-2"));
    }

    @Test
    void connectionsOfAUserOnANodeAreBothFiltersAtOnce() throws Exception {
        Cli.Result result = gatewayctl("connections", "--user", "alice", "--node", "gw-b", "-o", "json");

        assertThat(socketIds(MAPPER.readTree(result.out())), contains("alice-phone-1", "alice-web-2"));
    }

    @Test
    void connectionsOfAnUnknownUserPrintAnEmptyTableAndExit1() {
        Cli.Result result = gatewayctl("connections", "--user", "nobody");

        assertThat(result.exitCode(), is(1));
        assertThat(result.lines(), contains("SOCKET  USER  DEVICE  NAME  NODE  IP  CONNECTED  AGE"));
        assertThat(result.err(), is(""));
    }

    @Test
    void connectionsOfAnUnknownUserAsJsonPrintAnEmptyArrayAndExit1() {
        Cli.Result result = gatewayctl("connections", "--user", "nobody", "-o", "json");

        assertThat(result.exitCode(), is(1));
        assertThat(result.out().strip(), is("[]"));
    }

    @Test
    void anEmptyRedisHasNoConnectionsAtAll() {
        REDIS.flush();

        Cli.Result result = gatewayctl("connections", "-o", "json");

        assertThat(result.exitCode(), is(1));
        assertThat(result.out().strip(), is("[]"));
    }

    @Test
    void devicesGroupAUsersSocketsByDevice() {
        Cli.Result result = gatewayctl("devices", "--user", "alice");

        assertThat(result.exitCode(), is(0));
        assertThat(result.lines(), contains(
                "DEVICE  NAME              SOCKETS  LAST SEEN",
                "phone   Pixel 8           1        2025-06-01T10:02:00Z",
                "web     Firefox on Linux  2        2025-06-01T10:03:00Z"));
    }

    @Test
    void devicesAsJsonCarryTheirSocketIds() throws Exception {
        Cli.Result result = gatewayctl("devices", "--user", "alice", "-o", "json");

        JsonNode web = MAPPER.readTree(result.out()).get(1);
        assertThat(web.get("deviceId").asText(), is("web"));
        assertThat(web.get("deviceName").asText(), is("Firefox on Linux"));
        assertThat(web.get("sockets").asInt(), is(2));
        assertThat(texts(web.get("socketIds")), contains("alice-web-1", "alice-web-2"));
        assertThat(web.get("lastSeen").asText(), is("2025-06-01T10:03:00Z"));
    }

    @Test
    void devicesOfAnUnknownUserPrintAnEmptyArrayAndExit1() {
        Cli.Result result = gatewayctl("devices", "--user", "nobody", "-o", "json");

        assertThat(result.exitCode(), is(1));
        assertThat(result.out().strip(), is("[]"));
    }

    @Test
    void devicesWithoutAUserIsAUsageError() {
        Cli.Result result = gatewayctl("devices");

        assertThat(result.exitCode(), is(2));
        assertThat(result.out(), is(""));
        assertThat(result.errLines(), contains(
                "error: Missing required option: '--user=USER' (see 'gatewayctl devices --help')"));
    }

    @Test
    void onlineListsUsersMostRecentlySeenFirstWithTheirSocketCounts() {
        Cli.Result result = gatewayctl("online");

        assertThat(result.exitCode(), is(0));
        assertThat(result.lines(), contains(
                "USER   SOCKETS  LAST SEEN",
                "dave   2        2025-06-01T10:04:00Z",
                "alice  3        2025-06-01T10:03:00Z",
                "carol  1        2025-06-01T10:01:40Z",
                "bob    1        2025-06-01T10:01:30Z"));
    }

    @Test
    void onlineAsJsonIsAnArrayOfUsers() throws Exception {
        Cli.Result result = gatewayctl("online", "-o", "json");

        JsonNode dave = MAPPER.readTree(result.out()).get(0);
        assertThat(MAPPER.convertValue(dave, Map.class),
                   is(Map.of("userId", "dave", "sockets", 2, "lastSeen", "2025-06-01T10:04:00Z")));
    }

    @Test
    void onlineCountIsABareInteger() {
        Cli.Result result = gatewayctl("online", "--count");

        assertThat(result.exitCode(), is(0));
        assertThat(result.out(), is("4\n"));
    }

    @Test
    void onlineCountAsJsonIsAnObject() throws Exception {
        Cli.Result result = gatewayctl("online", "--count", "-o", "json");

        assertThat(MAPPER.readTree(result.out()).get("count").asInt(), is(4));
    }

    @Test
    void onlineWithNobodyOnlineIsAnEmptyTableAndExit1() {
        REDIS.flush();

        Cli.Result result = gatewayctl("online");

        assertThat(result.exitCode(), is(1));
        assertThat(result.lines(), contains("USER  SOCKETS  LAST SEEN"));
    }

    @Test
    void showPrintsEveryFieldOfOneSocket() {
        Cli.Result result = gatewayctl("show", "alice-phone-1");

        assertThat(result.exitCode(), is(0));
        assertThat(result.lines(), contains(
                "socketId:      alice-phone-1",
                "userId:        alice",
                "roleContextId: member",
                "deviceId:      phone",
                "deviceName:    Pixel 8",
                "userAgent:     test-agent/1.0",
                "ipAddress:     203.0.113.61",
                "connectedAt:   2025-06-01T10:01:00Z",
                "age:           9m0s",
                "serverId:      gw-b",
                "lastSeen:      2025-06-01T10:02:00Z"));
    }

    @Test
    void showAsJsonIsTheConnectionRecord() throws Exception {
        Cli.Result result = gatewayctl("show", "alice-phone-1", "-o", "json");

        JsonNode record = MAPPER.readTree(result.out());
        assertThat(record.get("socketId").asText(), is("alice-phone-1"));
        assertThat(record.get("serverId").asText(), is("gw-b"));
    }

    @Test
    void showOfAnUnknownSocketExits1() {
        Cli.Result result = gatewayctl("show", "no-such-socket");

        assertThat(result.exitCode(), is(1));
        assertThat(result.out(), is(""));
        assertThat(result.errLines(), contains("no socket no-such-socket"));
    }

    @Test
    void nodesListsLiveAndDeadNodes() {
        Cli.Result result = gatewayctl("nodes");

        assertThat(result.exitCode(), is(0));
        assertThat(result.lines(), contains(
                "NODE     ADDRESS        SOCKETS  STARTED               HEARTBEAT  ALIVE",
                "gw-a     10.0.0.1:8080  3        2025-06-01T09:00:00Z  3s ago     yes",
                "gw-b     10.0.0.2:8080  2        2025-06-01T09:00:00Z  3s ago     yes",
                "gw-dead  -              2        -                     -          no"));
    }

    @Test
    void nodesAsJsonMarkTheDeadNodeNotAlive() throws Exception {
        Cli.Result result = gatewayctl("nodes", "-o", "json");

        JsonNode nodes = MAPPER.readTree(result.out());
        assertThat(MAPPER.convertValue(nodes.get(0), Map.class), is(Map.of(
                "nodeId", "gw-a", "host", "10.0.0.1", "port", 8080, "connections", 3,
                "startedAt", "2025-06-01T09:00:00Z", "lastHeartbeat", "2025-06-01T10:09:57Z", "alive", true)));
        JsonNode dead = nodes.get(2);
        assertThat(dead.get("nodeId").asText(), is("gw-dead"));
        assertThat(dead.get("alive").asBoolean(), is(false));
        assertThat(dead.get("lastHeartbeat").isNull(), is(true));
        assertThat(dead.get("connections").asInt(), is(2));
    }

    @Test
    void sharedOptionsAreAcceptedBeforeOrAfterTheCommand() {
        Map<String, String> noRedisUrl = Map.of();
        Cli.Result before = Cli.run(noRedisUrl, Fixture.CLOCK, "--redis", REDIS.url(), "-o", "json", "devices", "--user", "bob");
        Cli.Result after = Cli.run(noRedisUrl, Fixture.CLOCK, "devices", "--user", "bob", "--redis", REDIS.url(), "-o", "json");

        assertThat(before.exitCode(), is(0));
        assertThat(after.out(), is(before.out()));
        assertThat(after.out(), startsWith("["));
    }

    @Test
    void redisOptionOverridesRedisUrl() {
        Map<String, String> wrongRedisUrl = Map.of("REDIS_URL", "redis://127.0.0.1:" + TestRedis.freePort());

        Cli.Result result = Cli.run(wrongRedisUrl, Fixture.CLOCK, "online", "--count", "--redis", REDIS.url());

        assertThat(result.out(), is("4\n"));
    }

    @Test
    void tablesCutLongFreeTextToFitTheWidthButNeverIds() {
        new Fixture(REDIS).socket("erin-1", "erin", "a-very-long-device-identifier",
                                  "A device name far longer than anybody would ever need to read in a table", "gw-a", 5);

        Cli.Result result = gatewayctl("devices", "--user", "erin");

        assertThat(result.lines(), everyItem(hasLengthAtMost(80)));
        assertThat(result.lines().get(1), is("a-very-long-device-identifier  A device name f...  1        2025-06-01T10:01:05Z"));
    }

    @Test
    void controlCharactersFromClientsNeverReachTheTerminal() {
        new Fixture(REDIS).socket("mallory-1", "mallory", "d", "evil\u001b[2Jname", "gw-a", 5);

        Cli.Result result = gatewayctl("devices", "--user", "mallory");

        assertThat(result.lines().get(1), startsWith("d       evil?[2Jname"));
    }

    private static org.hamcrest.Matcher<String> hasLengthAtMost(int width) {
        return new org.hamcrest.FeatureMatcher<>(lessThanOrEqualTo(width), "a line of length", "length") {
            @Override
            protected Integer featureValueOf(String line) {
                return line.length();
            }
        };
    }

    private static Cli.Result gatewayctl(String... args) {
        return Cli.run(Fixture.environment(REDIS), Fixture.CLOCK, args);
    }

    private static List<String> socketIds(JsonNode records) {
        List<String> ids = new ArrayList<>();
        records.forEach(record -> ids.add(record.get("socketId").asText()));
        return ids;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(element -> texts.add(element.asText()));
        return texts;
    }
}
