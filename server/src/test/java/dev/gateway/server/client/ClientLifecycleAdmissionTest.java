package dev.gateway.server.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.gateway.protocol.event.FrameCodec;
import dev.gateway.protocol.event.Json;
import dev.gateway.protocol.store.ConnectionStore;
import dev.gateway.protocol.store.MessageId;
import dev.gateway.protocol.store.PresenceStore;
import dev.gateway.server.auth.Principal;
import dev.gateway.server.client.Client;
import dev.gateway.server.client.ClientHub;
import dev.gateway.server.config.EnvironmentAliases;
import dev.gateway.server.config.GatewaySettings;
import dev.gateway.server.observe.GatewayMetrics;
import dev.gateway.server.presence.PresenceInterest;
import dev.gateway.server.presence.PresenceService;
import dev.gateway.server.room.LocalRooms;
import dev.gateway.server.room.RoomFanout;
import dev.gateway.server.room.RoomService;
import dev.gateway.testsupport.MovableClock;
import dev.gateway.testsupport.TestRedis;

import io.helidon.metrics.api.Metrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The admission of a native socket (registered in Redis at the handshake, opened after the upgrade) against a real
 * Redis, with a clock the test moves: a socket whose connection never opens is removed once its admission times out,
 * and the per-user cap refuses a socket without writing anything.
 */
class ClientLifecycleAdmissionTest {
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    @RegisterExtension
    static final TestRedis REDIS = new TestRedis();
    private static RedisClient redis;

    private final MovableClock clock = new MovableClock(T0);
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ClientHub hub = new ClientHub();
    private ClientLifecycle lifecycle;

    @BeforeAll
    static void client() {
        redis = REDIS.client();
    }

    @BeforeEach
    void newLifecycle() {
        GatewaySettings settings = GatewaySettings.create(EnvironmentAliases.load(Map.of("GATEWAY_NODE_ID", "node-a",
                                                                                         "MAX_SOCKETS_PER_USER", "1"))
                                                                  .get("gateway"));
        ConnectionStore connections = new ConnectionStore(redis, Json.mapper());
        GatewayMetrics metrics = new GatewayMetrics(Metrics.globalRegistry(), hub);
        PresenceService presence = new PresenceService(connections, new PresenceStore(redis, Json.mapper(), connections),
                                                       new PresenceInterest(), hub, settings, metrics, () -> { }, clock);
        LocalRooms rooms = new LocalRooms();
        RoomService roomService = new RoomService(rooms, room -> { }, new RoomFanout(rooms, room -> { }), chatId -> MessageId.MIN);
        lifecycle = new ClientLifecycle(hub, presence, roomService, FrameCodec.create(),
                                        metrics, settings, executor, clock);
    }

    @AfterEach
    void stopExecutor() {
        executor.shutdownNow();
    }

    @Test
    void anAdmittedSocketIsRegisteredBeforeItsConnectionOpens() throws Exception {
        ClientLifecycle.Admission admission = admit("s1", "alice");

        assertThat(redis.smembers("ws:user:alice:connections"), is(Set.of("s1")));
        assertThat(redis.exists("ws:connection:s1"), is(true));
        assertThat(hub.find("s1").isPresent(), is(false));
        assertThat(admission.record().ipAddress() == null, is(true));
    }

    @Test
    void openingAnAdmittedSocketCompletesItsRecordWithThePeersAddress() throws Exception {
        ClientLifecycle.Admission admission = admit("s1", "alice");

        Client client = lifecycle.open(admission, new FakeTransport().from("192.0.2.7"));

        assertThat(hub.find("s1").isPresent(), is(true));
        assertThat(client.record().ipAddress(), is("192.0.2.7"));
        assertThat(redis.get("ws:connection:s1").contains("\"ipAddress\":\"192.0.2.7\""), is(true));
    }

    @Test
    void anAdmissionThatDoesNotOpenInTimeIsRemovedFromRedis() throws Exception {
        admit("s1", "alice");

        clock.advance(ClientLifecycle.ADMISSION_TIMEOUT.minusMillis(1));
        lifecycle.expireAdmissions(clock.millis());
        assertThat(redis.exists("ws:connection:s1"), is(true));

        clock.advance(Duration.ofMillis(1));
        lifecycle.expireAdmissions(clock.millis());
        awaitGone("s1");
        assertThat(redis.zrange("presence:online", 0, -1), is(empty()));
    }

    @Test
    void anExpiredAdmissionCannotBeOpenedAnyMore() throws Exception {
        ClientLifecycle.Admission admission = admit("s1", "alice");
        clock.advance(ClientLifecycle.ADMISSION_TIMEOUT);
        lifecycle.expireAdmissions(clock.millis());

        assertThrows(IllegalStateException.class, () -> lifecycle.open(admission, new FakeTransport().from("192.0.2.7")));
        assertThat(hub.find("s1").isPresent(), is(false));
        awaitGone("s1");
    }

    @Test
    void anAbandonedAdmissionIsRemovedFromRedis() throws Exception {
        ClientLifecycle.Admission admission = admit("s1", "alice");

        lifecycle.abandon(admission);

        awaitGone("s1");
    }

    @Test
    void anOpenedSocketIsNeverExpiredAsAnAdmission() throws Exception {
        lifecycle.open(admit("s1", "alice"), new FakeTransport().from("192.0.2.7"));

        clock.advance(ClientLifecycle.ADMISSION_TIMEOUT.multipliedBy(2));
        lifecycle.expireAdmissions(clock.millis());

        assertThat(redis.exists("ws:connection:s1"), is(true));
    }

    @Test
    void aSocketBeyondTheUsersCapIsRefusedAndNotRegistered() throws Exception {
        admit("s1", "alice");

        assertThrows(TooManyConnectionsException.class, () -> admit("s2", "alice"));
        assertThat(redis.exists("ws:connection:s2"), is(false));
        assertThat(redis.smembers("ws:user:alice:connections"), is(Set.of("s1")));
    }

    private ClientLifecycle.Admission admit(String socketId, String userId) throws TooManyConnectionsException {
        Principal principal = new Principal(userId, Optional.empty(), Optional.empty(), T0.plusSeconds(3600));
        return lifecycle.admit(socketId, principal, "laptop", "Laptop", "test-agent", Optional.empty());
    }

    /** The removal runs on the executor: waits (at most 5 s) until every key of the socket is gone. */
    private static void awaitGone(String socketId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (redis.exists("ws:connection:" + socketId) || !redis.keys("ws:user:*").isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("socket " + socketId + " still registered: " + redis.keys("*"));
            }
            Thread.sleep(10);
        }
    }
}
