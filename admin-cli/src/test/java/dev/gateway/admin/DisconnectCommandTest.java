package dev.gateway.admin;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.gateway.protocol.event.Json;
import dev.gateway.protocol.event.OfflineReason;
import dev.gateway.protocol.store.ConnectionStore;
import dev.gateway.protocol.store.NodeCommand;
import dev.gateway.protocol.store.RedisKeys;
import dev.gateway.testsupport.TestRedis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

class DisconnectCommandTest {
    private static final ObjectMapper MAPPER = Json.mapper();
    private static final String GW_A = RedisKeys.nodeChannel("gw-a");
    private static final String GW_B = RedisKeys.nodeChannel("gw-b");
    private static final String GW_DEAD = RedisKeys.nodeChannel("gw-dead");

    @RegisterExtension
    static final TestRedis REDIS = new TestRedis();

    private ConnectionStore connections;
    private Subscriber presence;

    @BeforeEach
    void fill() {
        Fixture fixture = new Fixture(REDIS);
        fixture.fill();
        connections = fixture.connections();
        presence = Subscriber.recording(REDIS, RedisKeys.PRESENCE_CHANNEL);
    }

    @AfterEach
    void stopListening() {
        presence.close();
    }

    @Test
    void disconnectingASocketAsksItsNodeToCloseItAndReportsClosed() throws Exception {
        try (Subscriber nodes = liveNodes(GW_A, GW_B, GW_DEAD)) {
            Cli.Result result = gatewayctl("disconnect", "--socket", "alice-web-1", "--reason", "account suspended");

            assertThat(result.exitCode(), is(0));
            assertThat(result.err(), is(""));
            assertThat(result.lines(), contains("SOCKET       USER   NODE  RESULT",
                                                "alice-web-1  alice  gw-a  closed"));
            assertThat(nodes.messages(), contains(new Subscriber.Message(
                    GW_A, "{\"type\":\"disconnect\",\"socketIds\":[\"alice-web-1\"],\"reason\":\"account suspended\"}")));
            assertThat(connections.find("alice-web-1").isPresent(), is(false));
        }
    }

    @Test
    void disconnectingAUserReachesEveryNodeTheyAreConnectedTo() throws Exception {
        try (Subscriber nodes = liveNodes(GW_A, GW_B)) {
            Cli.Result result = gatewayctl("disconnect", "--user", "alice", "-o", "json");

            assertThat(result.exitCode(), is(0));
            JsonNode rows = MAPPER.readTree(result.out());
            assertThat(MAPPER.convertValue(rows.get(0), Map.class), is(Map.of(
                    "socketId", "alice-web-1", "userId", "alice", "serverId", "gw-a", "result", "closed")));
            assertThat(results(rows), contains("alice-web-1 closed", "alice-phone-1 closed", "alice-web-2 closed"));
            assertThat(nodes.messages().stream().map(message -> message.channel() + " " + command(message).socketIds()).toList(),
                       contains(GW_A + " [alice-web-1]", GW_B + " [alice-phone-1, alice-web-2]"));
            assertThat(connections.socketsOfUser("alice"), is(empty()));
        }
    }

    @Test
    void disconnectingOneDeviceLeavesTheUsersOtherDevicesConnected() throws Exception {
        try (Subscriber nodes = liveNodes(GW_A, GW_B)) {
            Cli.Result result = gatewayctl("disconnect", "--user", "alice", "--device", "web", "-o", "json");

            assertThat(result.exitCode(), is(0));
            assertThat(results(MAPPER.readTree(result.out())), contains("alice-web-1 closed", "alice-web-2 closed"));
            assertThat(nodes.messages().stream().map(message -> message.channel() + " " + command(message).socketIds()).toList(),
                       contains(GW_A + " [alice-web-1]", GW_B + " [alice-web-2]"));
            assertThat(List.copyOf(connections.socketsOfUser("alice")), contains("alice-phone-1"));
        }
    }

    @Test
    void disconnectingAUserWhoseIdNamesAnotherUsersDeviceTouchesOnlyThatUser() throws Exception {
        Fixture fixture = new Fixture(REDIS);
        fixture.socket("mallory-1", "alice:device:web", "laptop", "Laptop", "gw-a", 200);
        try (Subscriber nodes = liveNodes(GW_A, GW_B)) {
            Cli.Result result = gatewayctl("disconnect", "--user", "alice:device:web", "-o", "json");

            assertThat(result.exitCode(), is(0));
            assertThat(results(MAPPER.readTree(result.out())), contains("mallory-1 closed"));
            assertThat(nodes.messages().stream().map(message -> message.channel() + " " + command(message).socketIds()).toList(),
                       contains(GW_A + " [mallory-1]"));
            assertThat(connections.socketsOfDevice("alice", "web"), is(Set.of("alice-web-1", "alice-web-2")));
        }
    }

    @Test
    void socketsOfADeadNodeAreCleanedAndTheirUserGoesOfflineAsExpired() throws Exception {
        try (Subscriber nodes = liveNodes(GW_A, GW_B, GW_DEAD)) {
            Cli.Result result = gatewayctl("disconnect", "--user", "carol");

            assertThat(result.exitCode(), is(0));
            assertThat(result.lines(), contains("SOCKET          USER   NODE     RESULT",
                                                "carol-tablet-1  carol  gw-dead  cleaned"));
            assertThat(connections.find("carol-tablet-1").isPresent(), is(false));
            assertThat(nodes.messages(), is(empty()));
            String offline = "{\"type\":\"offline\",\"userId\":\"carol\",\"timestamp\":\"2025-06-01T10:10:00Z\","
                    + "\"reason\":\"expired\"}";
            assertThat(presence.awaitMessages(1), contains(new Subscriber.Message(RedisKeys.PRESENCE_CHANNEL, offline)));
        }
    }

    @Test
    void aUserOnALiveAndADeadNodeIsClosedOnOneCleanedOnTheOtherAndGoesOfflineOnce() throws Exception {
        try (Subscriber nodes = liveNodes(GW_A, GW_B)) {
            Cli.Result result = gatewayctl("disconnect", "--user", "dave", "-o", "json");

            assertThat(result.exitCode(), is(0));
            assertThat(results(MAPPER.readTree(result.out())), contains("dave-desk-1 cleaned", "dave-desk-2 closed"));
            assertThat(nodes.messages().stream().map(Subscriber.Message::channel).toList(), contains(GW_A));
            List<Subscriber.Message> events = presence.awaitMessages(1);
            Thread.sleep(100); // a second offline event, were there one, would have arrived by now
            assertThat(presence.messages().size(), is(1));
            assertThat(events.getFirst().body(), startsWith("{\"type\":\"offline\",\"userId\":\"dave\""));
        }
    }

    @Test
    void aDeadNodeWhoseLastSocketIsCleanedIsNoLongerListed() {
        gatewayctl("disconnect", "--user", "carol");
        assertThat(gatewayctl("nodes").lines().getLast(), startsWith("gw-dead  -              1"));

        gatewayctl("disconnect", "--socket", "dave-desk-1");

        assertThat(gatewayctl("nodes").lines().stream().map(line -> line.split(" ")[0]).toList(),
                   contains("NODE", "gw-a", "gw-b"));
    }

    @Test
    void socketsWhoseNodeDoesNotCloseThemTimeOutAndExit1() throws Exception {
        try (Subscriber closingA = liveNodes(GW_A); Subscriber ignoringB = Subscriber.recording(REDIS, GW_B)) {
            Cli.Result result = gatewayctl("disconnect", "--user", "alice", "--timeout", "300ms");

            assertThat(result.exitCode(), is(1));
            assertThat(result.lines(), contains("SOCKET         USER   NODE  RESULT",
                                                "alice-web-1    alice  gw-a  closed",
                                                "alice-phone-1  alice  gw-b  timeout",
                                                "alice-web-2    alice  gw-b  timeout"));
            assertThat(closingA.messages().size(), is(1));
            assertThat(ignoringB.messages().size(), is(1));
            assertThat(result.err(), is(""));
        }
    }

    @Test
    void aLiveNodeThatNobodyListensForIsReportedOnStderr() {
        Cli.Result result = gatewayctl("disconnect", "--socket", "bob-laptop-1", "--timeout", "100ms");

        assertThat(result.exitCode(), is(1));
        assertThat(result.lines().get(1), is("bob-laptop-1  bob   gw-a  timeout"));
        assertThat(result.errLines(), contains(
                "warning: node gw-a is alive but did not receive the command (no subscriber on its channel)"));
    }

    @Test
    void anUnknownSocketPrintsAnEmptyArrayAndExits1() {
        Cli.Result result = gatewayctl("disconnect", "--socket", "no-such-socket", "-o", "json");

        assertThat(result.exitCode(), is(1));
        assertThat(result.out(), is("[]\n"));
    }

    @Test
    void anUnknownUserPrintsAnEmptyTableAndExits1() {
        Cli.Result result = gatewayctl("disconnect", "--user", "nobody");

        assertThat(result.exitCode(), is(1));
        assertThat(result.lines(), contains("SOCKET  USER  NODE  RESULT"));
    }

    @Test
    void aSocketAndAUserTogetherAreAUsageError() {
        Cli.Result result = gatewayctl("disconnect", "--socket", "alice-web-1", "--user", "alice");

        assertThat(result.exitCode(), is(2));
        assertThat(result.errLines().size(), is(1));
        assertThat(connections.find("alice-web-1").isPresent(), is(true));
    }

    @Test
    void aDeviceWithoutItsUserIsAUsageError() {
        Cli.Result result = gatewayctl("disconnect", "--device", "web");

        assertThat(result.exitCode(), is(2));
        assertThat(result.errLines().size(), is(1));
    }

    @Test
    void nothingToDisconnectIsAUsageError() {
        Cli.Result result = gatewayctl("disconnect");

        assertThat(result.exitCode(), is(2));
        assertThat(result.errLines(), contains(startsWith("error: Missing required argument")));
    }

    @Test
    void aTimeoutWithoutUnitIsAUsageError() {
        Cli.Result result = gatewayctl("disconnect", "--user", "alice", "--timeout", "5");

        assertThat(result.exitCode(), is(2));
        assertThat(result.err(), startsWith("error: Invalid value for option '--timeout': '5' is not a duration"));
    }

    @Test
    void aReasonLongerThanACloseFrameAllowsIsAUsageError() {
        Cli.Result result = gatewayctl("disconnect", "--user", "alice", "--reason", "x".repeat(124));

        assertThat(result.exitCode(), is(2));
        assertThat(result.errLines(), contains(
                "error: --reason is longer than 123 bytes (see 'gatewayctl disconnect --help')"));
        assertThat(connections.socketsOfUser("alice").size(), is(3));
    }

    /** Live gateway nodes as far as disconnect is concerned: they close the sockets named, as a node does. */
    private Subscriber liveNodes(String... channels) {
        return Subscriber.acting(REDIS, (channel, message) -> {
            NodeCommand.Disconnect disconnect = command(new Subscriber.Message(channel, message));
            for (String socketId : disconnect.socketIds()) {
                connections.find(socketId).ifPresent(
                        record -> connections.unregister(record, OfflineReason.DISCONNECTED, Instant.now()));
            }
        }, channels);
    }

    private static NodeCommand.Disconnect command(Subscriber.Message message) {
        try {
            return (NodeCommand.Disconnect) MAPPER.readValue(message.body(), NodeCommand.class);
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> results(JsonNode rows) {
        return java.util.stream.StreamSupport.stream(rows.spliterator(), false)
                .map(row -> row.get("socketId").asText() + " " + row.get("result").asText())
                .toList();
    }

    private static Cli.Result gatewayctl(String... args) {
        return Cli.run(Fixture.environment(REDIS), Fixture.CLOCK, args);
    }
}
