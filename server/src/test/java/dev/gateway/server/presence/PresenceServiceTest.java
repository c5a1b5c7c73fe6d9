package dev.gateway.server.presence;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import dev.gateway.protocol.event.ErrorCode;
import dev.gateway.protocol.event.Json;
import dev.gateway.protocol.event.OfflineReason;
import dev.gateway.protocol.event.ProtocolException;
import dev.gateway.protocol.store.ConnectionRecord;
import dev.gateway.protocol.store.ConnectionStore;
import dev.gateway.protocol.store.ConnectionStore.Registered;
import dev.gateway.protocol.store.EventStream;
import dev.gateway.protocol.store.PresenceStore;
import dev.gateway.protocol.store.RedisConnector;
import dev.gateway.protocol.store.RedisEndpoint;
import dev.gateway.protocol.store.RedisKeys;
import dev.gateway.server.auth.Principal;
import dev.gateway.server.client.Client;
import dev.gateway.server.client.ClientHub;
import dev.gateway.server.client.ClientListener;
import dev.gateway.server.client.DisconnectReason;
import dev.gateway.server.client.FakeTransport;
import dev.gateway.server.config.EnvironmentAliases;
import dev.gateway.server.config.GatewaySettings;
import dev.gateway.server.observe.GatewayMetrics;
import dev.gateway.testsupport.MovableClock;
import dev.gateway.testsupport.Poll;
import dev.gateway.testsupport.TestRedis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.metrics.api.DistributionSummary;
import io.helidon.metrics.api.Metrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.resps.StreamEntry;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Presence on one node against a real (embedded) Redis, on a clock the test moves: registration and the per-user
 * cap, bulk-online, subscriptions and their cap, batched pings, removals (deferred while Redis is away), expiry and
 * recovery. Presence TTL 30 s, at most 3 sockets per user and 3 watched users per socket.
 * <p>
 * What reached the other nodes is read from the event stream ({@code gw:events}): its {@code user.online} and
 * {@code user.offline} entries are appended by the same script call as the {@code gw:presence} message, once per
 * transition, and reading them needs no subscriber thread.
 */
class PresenceServiceTest {
    @RegisterExtension
    static final TestRedis REDIS = new TestRedis();

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final Duration TTL = Duration.ofSeconds(30);
    private static final String NODE = "node-a";
    private static final int MAX_SOCKETS_PER_USER = 3;
    private static final int MAX_WATCHED = 3;

    private final ObjectMapper mapper = Json.mapper();
    private final MovableClock clock = new MovableClock(T0);
    private final ClientHub hub = new ClientHub();
    private final PresenceInterest interest = new PresenceInterest();
    private final GatewayMetrics metrics = new GatewayMetrics(Metrics.globalRegistry(), hub);
    private final AtomicInteger redisChecks = new AtomicInteger();
    /** What the node's Redis check does besides being counted (the recovery, when a test needs it). */
    private Runnable onRedisCheck = () -> { };
    private RedisConnector connector;
    private RedisClient redis;
    private ConnectionStore connections;
    private PresenceService presence;

    @BeforeEach
    void setUp() {
        connector = new RedisConnector(RedisEndpoint.parse(REDIS.url()), Duration.ofSeconds(2), "presence-service-test");
        redis = connector.pooledClient(4);
        connections = new ConnectionStore(redis, mapper);
        presence = presence(Map.of());
    }

    @AfterEach
    void tearDown() {
        redis.close();
    }

    // registration

    @Test
    void theFirstSocketOfAUserBringsTheUserOnlineAndFurtherSocketsDoNotAgain() {
        assertThat(presence.register(record("s1", "alice")).registered(), is(Registered.WENT_ONLINE));
        assertThat(presence.register(record("s2", "alice")).registered(), is(Registered.ADDED));

        assertThat(presenceEvents(), contains("user.online alice"));
        assertThat(connections.socketsOfUser("alice"), containsInAnyOrder("s1", "s2"));
    }

    @Test
    void aUserIsOnlineAsOfTheClocksTimeWhenRegistered() {
        clock.advance(Duration.ofSeconds(7));

        presence.register(record("s1", "alice"));

        assertThat(redis.zscore(RedisKeys.PRESENCE_ONLINE, "alice"), is((double) T0.plusSeconds(7).toEpochMilli()));
        assertThat(connections.presenceOf("alice").get("s1").lastSeen(), is(T0.plusSeconds(7).toString()));
    }

    @Test
    void aSocketBeyondMaxSocketsPerUserIsRefusedAndNothingIsWritten() {
        for (int i = 1; i <= MAX_SOCKETS_PER_USER; i++) {
            presence.register(record("s" + i, "alice"));
        }

        assertThat(presence.register(record("s4", "alice")).registered(), is(Registered.OVER_USER_CAP));
        assertThat(connections.find("s4"), is(Optional.empty()));
        assertThat(connections.socketsOfUser("alice"), hasSize(MAX_SOCKETS_PER_USER));
        assertThat(presence.isRegisteredHere("s4"), is(false));
    }

    @Test
    void registeringASocketBringsBackItsUsersContacts() {
        redis.sadd(RedisKeys.contacts("alice"), "bob", "carol");

        assertThat(presence.register(record("s1", "alice")).contacts(), containsInAnyOrder("bob", "carol"));
    }

    @Test
    void withPresenceNotifyAllTheContactsAreNotRead() {
        presence = presence(Map.of("PRESENCE_NOTIFY", "all"));
        redis.sadd(RedisKeys.contacts("alice"), "bob", "carol");

        assertThat(presence.register(record("s1", "alice")).contacts(), is(empty()));
    }

    @Test
    void aSocketIsRegisteredHereFromItsRegistrationUntilItsRemoval() {
        ConnectionRecord record = record("s1", "alice");
        assertThat(presence.isRegisteredHere("s1"), is(false));

        presence.register(record);
        assertThat(presence.isRegisteredHere("s1"), is(true));

        presence.unregister(record, DisconnectReason.CONNECTION_LOST);
        assertThat(presence.isRegisteredHere("s1"), is(false));
    }

    @Test
    void aRegistrationOnAConnectionThatDiedWithARedisRestartChecksRedisAndSucceedsOnItsRetry() {
        onRedisCheck = connector::dropIdleConnections;
        presence.register(record("s1", "alice")); // leaves a pooled connection to the Redis about to restart
        restartRedis();

        assertThat(presence.register(record("s2", "bob")).registered(), is(Registered.WENT_ONLINE));
        assertThat(redisChecks.get(), is(1));
        assertThat(connections.find("s2").map(ConnectionRecord::userId), is(Optional.of("bob")));
    }

    @Test
    void aRegistrationThatFailsOnItsRetryTooFailsAndLeavesTheSocketNotRegisteredHere() {
        REDIS.stop();

        assertThrows(JedisConnectionException.class, () -> presence.register(record("s1", "alice")));
        assertThat(redisChecks.get(), is(1));
        assertThat(presence.isRegisteredHere("s1"), is(false));
    }

    @Test
    void anUpdateRewritesTheRecordOfARegisteredSocketOnly() {
        ConnectionRecord record = record("s1", "alice");
        presence.register(record);

        presence.update(record.withIpAddress("10.0.0.7"));
        presence.update(record("s2", "bob").withIpAddress("10.0.0.8"));

        assertThat(connections.find("s1").map(ConnectionRecord::ipAddress), is(Optional.of("10.0.0.7")));
        assertThat(connections.find("s2"), is(Optional.empty()));
    }

    // bulk-online

    @Test
    void onConnectASocketFollowsItsContactsButNotItsOwnUserAndLearnsWhichAreOnline() {
        connect("s-bob", "bob");
        Client alice = connect("s1", "alice");

        List<String> online = presence.followContacts(alice, orderedSet("bob", "carol", "alice"));

        assertThat(online, contains("bob"));
        assertThat(alice.watchedUsers(), containsInAnyOrder("bob", "carol"));
        assertThat(interest.watchers("carol"), contains(alice));
        assertThat(interest.watchers("alice"), is(empty()));
    }

    @Test
    void aSocketFollowsAtMostMaxPresenceSubscriptionsOfItsContacts() {
        Client alice = connect("s1", "alice");

        presence.followContacts(alice, orderedSet("u1", "u2", "u3", "u4", "u5"));

        assertThat(alice.watchedUsers(), containsInAnyOrder("u1", "u2", "u3"));
        assertThat(interest.watchers("u4"), is(empty()));
    }

    @Test
    void withPresenceNotifyAllBulkOnlineListsEveryOnlineUserButTheSocketsOwnMostRecentFirstAndFollowsNobody() {
        presence = presence(Map.of("PRESENCE_NOTIFY", "all"));
        connect("s-bob", "bob");
        clock.advance(Duration.ofSeconds(1));
        connect("s-carol", "carol");
        clock.advance(Duration.ofSeconds(1));
        Client alice = connect("s1", "alice");

        assertThat(presence.followContacts(alice, Set.of("dave")), contains("carol", "bob"));
        assertThat(alice.watchedUsers(), is(empty()));
    }

    @Test
    void withPresenceNotifyAllBulkOnlineIsCappedAtTenThousandUsers() {
        presence = presence(Map.of("PRESENCE_NOTIFY", "all"));
        Map<String, Double> others = new HashMap<>();
        for (int i = 0; i < PresenceService.BULK_ONLINE_CAP + 5; i++) {
            others.put("user-" + i, (double) T0.toEpochMilli());
        }
        redis.zadd(RedisKeys.PRESENCE_ONLINE, others);
        clock.advance(Duration.ofSeconds(1));
        Client alice = connect("s1", "alice"); // the most recent: her own id must not take one of the places

        List<String> online = presence.followContacts(alice, Set.of());

        assertThat(online, hasSize(PresenceService.BULK_ONLINE_CAP));
        assertThat(online, not(hasItem("alice")));
    }

    // subscribe / unsubscribe

    @Test
    void aSubscriptionFollowsTheUsersAndAnswersWhichOfThemAreOnline() {
        connect("s-bob", "bob");
        Client alice = connect("s1", "alice");

        assertThat(presence.subscribe(alice, List.of("bob", "dave")), contains("bob"));
        assertThat(alice.watchedUsers(), containsInAnyOrder("bob", "dave"));
        assertThat(interest.watchers("dave"), contains(alice));
    }

    @Test
    void aSocketNeverSubscribesToItsOwnUser() {
        Client alice = connect("s1", "alice");

        assertThat(presence.subscribe(alice, List.of("alice")), is(empty()));
        assertThat(alice.watchedUsers(), is(empty()));
    }

    @Test
    void aSubscriptionThatWouldPassTheCapFollowsNoneOfItsUsers() {
        Client alice = connect("s1", "alice");
        presence.subscribe(alice, List.of("u1", "u2"));

        ProtocolException refused = assertThrows(ProtocolException.class, () -> presence.subscribe(alice, List.of("u3", "u4")));

        assertThat(refused.code(), is(ErrorCode.VALIDATION));
        assertThat(refused.getMessage(), is("userIds would watch more than MAX_PRESENCE_SUBSCRIPTIONS_PER_SOCKET (3) users on "
                                                    + "this socket (2 watched); unsubscribe some first"));
        assertThat(alice.watchedUsers(), containsInAnyOrder("u1", "u2"));
        assertThat(interest.watchers("u3"), is(empty()));
    }

    @Test
    void usersAlreadyWatchedAndTheSocketsOwnUserDoNotCountAgainstTheCap() {
        Client alice = connect("s1", "alice");
        presence.subscribe(alice, List.of("u1", "u2"));

        presence.subscribe(alice, List.of("u1", "u2", "alice", "u3"));

        assertThat(alice.watchedUsers(), containsInAnyOrder("u1", "u2", "u3"));
    }

    @Test
    void contactsFollowedOnConnectCountAgainstTheSubscriptionCap() {
        Client alice = connect("s1", "alice");
        presence.followContacts(alice, orderedSet("u1", "u2", "u3"));

        assertThrows(ProtocolException.class, () -> presence.subscribe(alice, List.of("u4")));
    }

    @Test
    void anUnsubscriptionStopsFollowingTheUsersAndIgnoresUsersNotFollowed() {
        Client alice = connect("s1", "alice");
        presence.subscribe(alice, List.of("bob", "carol"));

        presence.unsubscribe(alice, List.of("bob", "dave"));

        assertThat(alice.watchedUsers(), contains("carol"));
        assertThat(interest.watchers("bob"), is(empty()));
    }

    // pings

    @Test
    void aPingMarksTheSocketAtOnceAndRefreshesRedisAtTheNextFlush() {
        Client alice = connect("s1", "alice");
        clock.advance(Duration.ofSeconds(10));

        presence.ping(alice);
        assertThat(alice.lastPresencePingMillis(), is(T0.plusSeconds(10).toEpochMilli()));
        assertThat(lastSeen("alice"), is(T0.toEpochMilli()));

        clock.advance(Duration.ofSeconds(1));
        presence.flushPings();
        assertThat(lastSeen("alice"), is(T0.plusSeconds(11).toEpochMilli()));
        assertThat(connections.presenceOf("alice").get("s1").lastSeen(), is(T0.plusSeconds(11).toString()));
    }

    @Test
    void theSocketsPingedSinceTheLastFlushAreRefreshedInOneBatchOncePerSocket() {
        Client alice = connect("s1", "alice");
        Client bob = connect("s2", "bob");
        Client carol = connect("s3", "carol");
        DistributionSummary batches = Metrics.globalRegistry().summary("gateway.presence.ping.batch", List.of()).orElseThrow();
        long flushesBefore = batches.count();
        double socketsBefore = batches.totalAmount();
        clock.advance(Duration.ofSeconds(5));

        presence.ping(alice);
        presence.ping(bob);
        presence.ping(alice);
        presence.ping(carol);
        presence.flushPings();
        presence.flushPings(); // nothing pinged since: no round trip, no batch

        assertThat(batches.count() - flushesBefore, is(1L));
        assertThat(batches.totalAmount() - socketsBefore, is(3.0));
        for (String user : List.of("alice", "bob", "carol")) {
            assertThat(user, lastSeen(user), is(T0.plusSeconds(5).toEpochMilli()));
        }
    }

    @Test
    void aSocketThatEndedAfterItsPingIsNotRefreshed() {
        Client alice = connect("s1", "alice");
        clock.advance(Duration.ofSeconds(5));
        presence.ping(alice);

        alice.end(DisconnectReason.CLIENT_CLOSED, "bye", clock.millis());
        presence.flushPings();

        assertThat(lastSeen("alice"), is(T0.toEpochMilli()));
    }

    @Test
    void aPingedSocketThatACleanerRemovedIsRegisteredAgainAndItsUserAnnouncedAgain() {
        Client alice = connect("s1", "alice");
        // another process (gatewayctl, a node that took the socket for dead) removes it and reports alice offline
        connections.unregister(alice.record(), OfflineReason.EXPIRED, clock.instant());

        presence.ping(alice);
        presence.flushPings();

        assertThat(redisChecks.get(), is(1));
        assertThat(connections.find("s1").isPresent(), is(true));
        assertThat(presenceEvents(), contains("user.online alice", "user.offline alice expired", "user.online alice"));
    }

    @Test
    void aLostSocketNoLongerOnThisNodeIsNotRegisteredAgain() {
        Client alice = connect("s1", "alice");
        connections.unregister(alice.record(), OfflineReason.EXPIRED, clock.instant());
        presence.ping(alice);
        hub.remove(alice);

        presence.flushPings();

        assertThat(connections.find("s1"), is(Optional.empty()));
        assertThat(redisChecks.get(), is(1));
    }

    @Test
    void whenTheRedisCheckRanTheRecoveryTheFlushRegistersNothingItself() {
        // the recovery registers every live socket it is given; given none here, so that what the flush does shows
        onRedisCheck = () -> presence.registerAgain(List.of(), true);
        Client alice = connect("s1", "alice");
        connections.unregister(alice.record(), OfflineReason.EXPIRED, clock.instant());

        presence.ping(alice);
        presence.flushPings();

        assertThat(redisChecks.get(), is(1));
        assertThat(connections.find("s1"), is(Optional.empty()));
        assertThat(presenceEvents(), contains("user.online alice", "user.offline alice expired"));
    }

    // removal and expiry

    @Test
    void aUserGoesOfflineOnlyWhenTheirLastSocketIsRemoved() {
        Client laptop = connect("s1", "alice");
        Client phone = connect("s2", "alice");

        presence.unregister(laptop, DisconnectReason.CLIENT_CLOSED);
        assertThat(presenceEvents(), contains("user.online alice"));
        assertThat(redis.zscore(RedisKeys.PRESENCE_ONLINE, "alice"), is(not(nullValue())));

        presence.unregister(phone, DisconnectReason.CONNECTION_LOST);
        assertThat(presenceEvents(), contains("user.online alice", "user.offline alice disconnected"));
        assertThat(redis.zscore(RedisKeys.PRESENCE_ONLINE, "alice"), is(nullValue()));
        assertThat(connections.socketsOfUser("alice"), is(empty()));
    }

    @Test
    void aSocketIsExpiredOnceItsLastPingIsATtlOld() {
        Client alice = connect("s1", "alice");
        long start = T0.toEpochMilli();

        assertThat(presence.isExpired(alice, start + TTL.toMillis() - 1), is(false));
        assertThat(presence.isExpired(alice, start + TTL.toMillis()), is(true));

        clock.advance(Duration.ofSeconds(20));
        presence.ping(alice);
        assertThat(presence.isExpired(alice, start + TTL.toMillis()), is(false));
        assertThat(presence.isExpired(alice, start + 20_000 + TTL.toMillis() - 1), is(false));
        assertThat(presence.isExpired(alice, start + 20_000 + TTL.toMillis()), is(true));
        assertThat(presence.ttl(), is(TTL));
    }

    @Test
    void aUserWhoseHeartbeatLapsedGoesOfflineWithReasonExpired() {
        Client alice = connect("s1", "alice");
        clock.advance(Duration.ofSeconds(10));
        presence.ping(alice);
        presence.flushPings();

        clock.advance(TTL);
        assertThat(presence.isExpired(alice, clock.millis()), is(true));
        presence.unregister(alice, DisconnectReason.PRESENCE_EXPIRED);

        assertThat(presenceEvents(), contains("user.online alice", "user.offline alice expired"));
        assertThat(redis.zscore(RedisKeys.PRESENCE_ONLINE, "alice"), is(nullValue()));
    }

    @Test
    void aRemovedSocketFollowsNobodyAndItsPendingPingIsDropped() {
        Client alice = connect("s1", "alice");
        presence.subscribe(alice, List.of("bob"));
        presence.ping(alice);

        presence.unregister(alice, DisconnectReason.CLIENT_CLOSED);
        presence.flushPings();

        assertThat(interest.watchers("bob"), is(empty()));
        assertThat(connections.find("s1"), is(Optional.empty()));
        assertThat(redisChecks.get(), is(0));
    }

    @Test
    void aSocketThatNeverOpenedIsRemovedLikeAnyOther() {
        ConnectionRecord record = record("s1", "alice");
        presence.register(record);

        presence.unregister(record, DisconnectReason.CONNECTION_LOST);

        assertThat(connections.find("s1"), is(Optional.empty()));
        assertThat(presenceEvents(), contains("user.online alice", "user.offline alice disconnected"));
    }

    @Test
    void aRemovalWhileRedisIsAwayWaitsAndAfterTheRestartTakesItsUserOfflineOnce() {
        Client alice = connect("s1", "alice");
        alice.rooms().add("chat:42");
        REDIS.stop();

        presence.unregister(alice, DisconnectReason.CLIENT_CLOSED); // deferred, not thrown
        assertThat(presence.isRegisteredHere("s1"), is(true));

        restartRedis();
        connector.dropIdleConnections(); // the node's Redis check, which then runs the recovery:
        // no live socket left, but the pending removal is registered again
        List<PresenceService.Registered> again = presence.registerAgain(List.of(), true);
        assertThat(again, contains(new PresenceService.Registered(alice.record(), Set.of("42"))));
        presence.retryPendingRemovals();
        presence.retryPendingRemovals();

        assertThat(presenceEvents(), contains("user.offline alice disconnected"));
        assertThat(connections.find("s1"), is(Optional.empty()));
        assertThat(presence.isRegisteredHere("s1"), is(false));
    }

    @Test
    void aRetryWhileRedisIsStillAwayFailsAndKeepsTheRemovalPending() {
        Client alice = connect("s1", "alice");
        REDIS.stop();
        presence.unregister(alice, DisconnectReason.CLIENT_CLOSED);

        assertThrows(JedisConnectionException.class, presence::retryPendingRemovals);

        restartRedis();
        connector.dropIdleConnections();
        presence.registerAgain(List.of(), true);
        presence.retryPendingRemovals();
        assertThat(presenceEvents(), contains("user.offline alice disconnected"));
    }

    // registering again (recovery)

    @Test
    void afterARestartEveryLiveSocketIsRegisteredAgainSilentlyWithItsChats() {
        Client alice = connect("s1", "alice");
        alice.rooms().add("user:alice");
        alice.rooms().add("chat:42");
        alice.rooms().add("chat:7");
        Client ended = connect("s2", "bob");
        ended.end(DisconnectReason.CLIENT_CLOSED, "bye", clock.millis());
        REDIS.flush(); // what a restarted Redis holds

        List<PresenceService.Registered> again = presence.registerAgain(hub.all(), true);

        assertThat(again, contains(new PresenceService.Registered(alice.record(), Set.of("42", "7"))));
        assertThat(connections.find("s1").isPresent(), is(true));
        assertThat(connections.find("s2"), is(Optional.empty()));
        assertThat(redis.zscore(RedisKeys.PRESENCE_ONLINE, "alice"), is(not(nullValue())));
        assertThat(presenceEvents(), is(empty()));
    }

    @Test
    void whenRedisKeptItsDataAUserCleanedMeanwhileIsAnnouncedAgain() {
        Client alice = connect("s1", "alice");
        connect("s2", "bob");
        connections.unregister(alice.record(), OfflineReason.EXPIRED, clock.instant());

        presence.registerAgain(hub.all(), false);

        assertThat(presenceEvents(), contains("user.online alice", "user.online bob", "user.offline alice expired",
                                              "user.online alice"));
    }

    @Test
    void manyLiveSocketsAreAllRegisteredAgain() {
        List<Client> live = new ArrayList<>();
        for (int i = 0; i < 1_200; i++) {
            live.add(client(record("s" + i, "user-" + i)));
        }

        assertThat(presence.registerAgain(live, true), hasSize(1_200));
        assertThat(connections.socketsOfNode(NODE), hasSize(1_200));
        assertThat(presenceStore().onlineCount(), is(1_200L));
    }

    // helpers

    private PresenceService presence(Map<String, String> environment) {
        Map<String, String> env = new HashMap<>(Map.of(
                "GATEWAY_NODE_ID", NODE,
                "PRESENCE_TTL_SECONDS", Long.toString(TTL.toSeconds()),
                "MAX_SOCKETS_PER_USER", Integer.toString(MAX_SOCKETS_PER_USER),
                "MAX_PRESENCE_SUBSCRIPTIONS_PER_SOCKET", Integer.toString(MAX_WATCHED)));
        env.putAll(environment);
        GatewaySettings settings = GatewaySettings.create(EnvironmentAliases.load(env).get("gateway"));
        Runnable checkRedis = () -> {
            redisChecks.incrementAndGet();
            onRedisCheck.run();
        };
        return new PresenceService(connections, presenceStore(), interest, hub, settings, metrics, checkRedis, clock);
    }

    private PresenceStore presenceStore() {
        return new PresenceStore(redis, mapper, connections);
    }

    private ConnectionRecord record(String socketId, String userId) {
        return new ConnectionRecord(userId, socketId, null, "laptop", "Laptop", "test-agent", null,
                                    clock.instant().toString(), NODE);
    }

    /** A socket registered and open on this node, as the lifecycle leaves it. */
    private Client connect(String socketId, String userId) {
        ConnectionRecord record = record(socketId, userId);
        presence.register(record);
        Client client = client(record);
        hub.add(client);
        return client;
    }

    private Client client(ConnectionRecord record) {
        Principal principal = new Principal(record.userId(), Optional.empty(), Optional.empty(), T0.plusSeconds(3600));
        return new Client(record, principal, new FakeTransport(), Runnable::run, new Client.Limits(8, 100),
                          new IgnoringListener(), clock.millis());
    }

    private static Set<String> orderedSet(String... values) {
        return new LinkedHashSet<>(List.of(values));
    }

    private long lastSeen(String userId) {
        return redis.zscore(RedisKeys.PRESENCE_ONLINE, userId).longValue();
    }

    /**
     * Stops Redis and starts it again, empty, as a restart does. The pool keeps its idle connections, now dead, until
     * {@link RedisConnector#dropIdleConnections()} (the node's Redis check).
     */
    private static void restartRedis() {
        REDIS.stop();
        REDIS.start();
        Poll.eventually("Redis answers after its restart", () -> REDIS.client().ping(), is("PONG"));
    }

    /** The presence entries of the event stream, in order: {@code user.online alice}, {@code user.offline alice expired}. */
    private List<String> presenceEvents() {
        List<String> events = new ArrayList<>();
        for (StreamEntry entry : redis.xrange(RedisKeys.EVENTS, "-", "+")) {
            String type = entry.getFields().get("type");
            if (type.equals(EventStream.USER_ONLINE) || type.equals(EventStream.USER_OFFLINE)) {
                JsonNode data = read(entry.getFields().get("data"));
                events.add(type + " " + data.get("userId").asText() + (data.has("reason") ? " " + data.get("reason").asText() : ""));
            }
        }
        return events;
    }

    private JsonNode read(String json) {
        try {
            return mapper.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class IgnoringListener implements ClientListener {
        @Override
        public void failed(Client client, DisconnectReason reason, String why) {
        }

        @Override
        public void frameSent(Client client) {
        }
    }
}
