package dev.gateway.admin;

import dev.gateway.protocol.store.RedisKeys;
import dev.gateway.testsupport.TestRedis;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

class EmitCommandTest {
    @RegisterExtension
    static final TestRedis REDIS = new TestRedis();

    /** A publish to a user counts the live nodes its sockets' records name, so alice has a socket on a live node. */
    @BeforeEach
    void aliceIsConnectedToALiveNode() {
        Fixture fixture = new Fixture(REDIS);
        fixture.node("gw-a", "10.0.0.1");
        fixture.socket("alice-phone-1", "alice", "phone", "Pixel 8", "gw-a", 0);
    }

    @Test
    void anEventForAUserIsPublishedOnTheUsersRoomAsAServerFrame() throws Exception {
        try (Subscriber node = Subscriber.recording(REDIS, RedisKeys.roomChannel("user:alice"))) {
            Cli.Result result = gatewayctl("emit", "--user", "alice", "--event", "notice", "--data", "{\"text\":\"hi\"}");
            assertThat(result.exitCode(), is(0));
            assertThat(result.lines(), contains("delivered to 1 node holding user:alice"));
            assertThat(node.awaitMessages(1), contains(new Subscriber.Message(
                    RedisKeys.roomChannel("user:alice"), "\n{\"event\":\"notice\",\"data\":{\"text\":\"hi\"}}")));
        }
    }

    @Test
    void anEventForOneDeviceCarriesTheDeviceFilter() throws Exception {
        try (Subscriber node = Subscriber.recording(REDIS, RedisKeys.roomChannel("user:alice"))) {
            Cli.Result result = gatewayctl("emit", "--user", "alice", "--device", "phone", "--event", "session:revoked", "-o", "json");

            assertThat(result.exitCode(), is(0));
            assertThat(result.out().trim(), startsWith("{"));
            assertThat(node.awaitMessages(1), contains(new Subscriber.Message(
                    RedisKeys.roomChannel("user:alice"), "d:phone\n{\"event\":\"session:revoked\",\"data\":{}}")));
        }
    }

    @Test
    void anEventForARoomWithNoNodeListeningExitsOne() {
        Cli.Result result = gatewayctl("emit", "--room", "chat:empty", "--event", "notice");

        assertThat(result.exitCode(), is(1));
        assertThat(result.lines(), contains("delivered to 0 nodes holding chat:empty"));
    }

    @Test
    void anEventForAUserWhoseSocketsAreOnlyOnADeadNodeExitsOne() {
        new Fixture(REDIS).socket("carol-tablet-1", "carol", "tablet", "iPad", "gw-dead", 0);

        Cli.Result result = gatewayctl("emit", "--user", "carol", "--event", "notice");

        assertThat(result.exitCode(), is(1));
        assertThat(result.lines(), contains("delivered to 0 nodes holding user:carol"));
    }

    @Test
    void dataThatIsNotAJsonObjectIsAUsageError() {
        Cli.Result result = gatewayctl("emit", "--user", "alice", "--event", "notice", "--data", "[1,2]");

        assertThat(result.exitCode(), is(2));
        assertThat(result.lines(), empty());
        assertThat(result.err(), startsWith("error: --data must be a JSON object"));
    }

    @Test
    void aUserAndARoomTogetherAreAUsageError() {
        assertThat(gatewayctl("emit", "--user", "alice", "--room", "chat:x", "--event", "notice").exitCode(), is(2));
    }

    private static Cli.Result gatewayctl(String... args) {
        return Cli.run(Fixture.environment(REDIS), Fixture.CLOCK, args);
    }
}
