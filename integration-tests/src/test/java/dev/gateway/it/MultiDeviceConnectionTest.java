package dev.gateway.it;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gateway.it.support.GatewayCluster;
import dev.gateway.it.support.GatewayProcess;
import dev.gateway.it.support.GatewayRecords;
import dev.gateway.it.support.WsClient;
import dev.gateway.testsupport.Poll;
import dev.gateway.testsupport.Tokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;

/**
 * One user on two devices with three tabs on one node: the Redis layout of PROTOCOL section 6 after every open
 * and close, and the presence events of section 5 that a subscriber sees.
 */
class MultiDeviceConnectionTest {
    private static final String NODE = "node-a";
    private static final String USER = "alice";
    private static final String ROLE = "team-7";
    private static final List<String> DEVICES = List.of("phone", "laptop");
    private static final Duration QUIET = Duration.ofSeconds(1);
    private static final Duration EVENT = Duration.ofSeconds(5);

    @RegisterExtension
    static final GatewayCluster CLUSTER = GatewayCluster.onRedis();

    private final GatewayRecords records = CLUSTER.records();
    private final List<Tab> openTabs = new ArrayList<>();
    /** Sockets of other users (subscribers) on the node: they belong in ws:connection:* and the node's set too. */
    private final Set<String> otherSockets = new TreeSet<>();
    private GatewayProcess node;
    private Instant testStart;

    /** One browser tab (socket) of {@link #USER}. */
    private record Tab(WsClient client, String socketId, String deviceId, String deviceName, String userAgent) {
    }

    @BeforeEach
    void startNode() {
        testStart = Instant.now().minusSeconds(1);
        node = CLUSTER.start(NODE, Map.of());
    }

    @Test
    void connectedIsTheFirstFrameAndBulkOnlineTheSecond() {
        Tab tab = openTab("phone", "Pixel 8");
        tab.client().awaitEvent("presence:bulk-online", EVENT);

        List<WsClient.Frame> frames = tab.client().frames();
        assertThat(frames.get(0).event(), is("connected"));
        assertThat(frames.get(1).event(), is("presence:bulk-online"));
        JsonNode connected = frames.get(0).data();
        assertThat(connected.path("socketId").asText(), not(is("")));
        assertThat(connected.path("userId").asText(), is(USER));
        assertThat(connected.path("serverId").asText(), is(NODE));
        assertThat(connected.path("heartbeatIntervalMs").asLong(), is(1000L));
        assertThat(connected.path("presenceTtlMs").asLong(), is(30_000L));
        assertThat(frames.get(1).data().path("users").isArray(), is(true));
        assertThat(frames.get(1).data().path("users").size(), is(0));
    }

    @Test
    void everySocketGetsItsOwnSocketId() {
        Tab a = openTab("phone", "Pixel 8");
        Tab b = openTab("laptop", "ThinkPad");
        Tab c = openTab("laptop", "ThinkPad");

        assertThat(Set.of(a.socketId(), b.socketId(), c.socketId()).size(), is(3));
    }

    @Test
    void theRecordsAreExactAfterEveryOpenAndCloseOfThreeTabsOnTwoDevices() {
        Tab phone = openTab("phone", "Pixel 8");
        awaitExactRecords();
        Tab laptop1 = openTab("laptop", "ThinkPad");
        awaitExactRecords();
        Tab laptop2 = openTab("laptop", "ThinkPad");
        awaitExactRecords();

        closeTab(laptop1);
        awaitExactRecords();
        closeTab(phone);
        awaitExactRecords();
        closeTab(laptop2);
        awaitExactRecords();

        assertThat(records.keysOfUser(USER), is(empty()));
        assertThat(CLUSTER.redis().scan("ws:connection:*"), is(empty()));
    }

    @Test
    void theConnectionRecordSaysWhoConnectedFromWhereAndWhen() {
        Tab tab = openTab("phone", "Pixel 8");

        JsonNode record = Poll.eventually("ws:connection:" + tab.socketId(),
                                          () -> records.connection(tab.socketId()).orElse(null), not(is((JsonNode) null)));
        assertThat(fieldNames(record), hasItems("userId", "socketId", "roleContextId", "deviceId", "deviceName",
                                                "userAgent", "ipAddress", "connectedAt", "serverId"));
        assertThat(record.path("userId").asText(), is(USER));
        assertThat(record.path("socketId").asText(), is(tab.socketId()));
        assertThat(record.path("roleContextId").asText(), is(ROLE));
        assertThat(record.path("deviceId").asText(), is("phone"));
        assertThat(record.path("deviceName").asText(), is("Pixel 8"));
        assertThat(record.path("userAgent").asText(), is(tab.userAgent()));
        assertThat(record.path("ipAddress").asText(), is("127.0.0.1"));
        assertThat(record.path("serverId").asText(), is(NODE));
        assertRecentTimestamp(record.path("connectedAt").asText());
    }

    @Test
    void theConnectionKeysExpireAfterAnHourUnlessRefreshed() {
        Tab tab = openTab("phone", "Pixel 8");
        awaitExactRecords();

        assertThat(records.connectionTtl(tab.socketId()), allOf(greaterThan(3500L), lessThanOrEqualTo(3600L)));
        assertThat(records.pttl(GatewayRecords.userSocketsKey(USER)),
                   allOf(greaterThan(3_500_000L), lessThanOrEqualTo(3_600_000L)));
        assertThat(records.pttl(GatewayRecords.deviceSocketsKey(USER, "phone")),
                   allOf(greaterThan(3_500_000L), lessThanOrEqualTo(3_600_000L)));
        assertThat("ws:node:{n}:connections has no TTL", records.pttl(GatewayRecords.nodeSocketsKey(NODE)), is(-1L));
    }

    @Test
    void thePresenceEntryAndOnlineScoreAreWrittenOnOpen() {
        Tab tab = openTab("phone", "Pixel 8");
        awaitExactRecords();

        JsonNode entry = records.presence(USER).get(tab.socketId());
        assertThat(entry.path("serverId").asText(), is(NODE));
        assertRecentTimestamp(entry.path("connectedAt").asText());
        assertRecentTimestamp(entry.path("lastSeen").asText());
        assertThat("presence:user:{u} lives for the presence TTL", records.pttl(GatewayRecords.presenceKey(USER)),
                   allOf(greaterThan(20_000L), lessThanOrEqualTo(30_000L)));
        double score = records.onlineScore(USER).orElseThrow();
        assertThat((long) score, allOf(greaterThanOrEqualTo(testStart.toEpochMilli()),
                                       lessThanOrEqualTo(Instant.now().plusSeconds(1).toEpochMilli())));
        assertThat("presence:online has no TTL", records.pttl("presence:online"), is(-1L));
    }

    @Test
    void aPingRefreshesLastSeenAndTheOnlineScore() {
        Tab tab = openTab("phone", "Pixel 8");
        awaitExactRecords();
        double before = records.onlineScore(USER).orElseThrow();
        String lastSeenBefore = records.presence(USER).get(tab.socketId()).path("lastSeen").asText();
        Poll.pause(Duration.ofMillis(1100));

        JsonNode ack = tab.client().ping();

        assertThat(ack.path("success").asBoolean(), is(true));
        Poll.eventually("presence:online score after the ping", () -> records.onlineScore(USER).orElseThrow(),
                        greaterThan(before));
        String lastSeenAfter = records.presence(USER).get(tab.socketId()).path("lastSeen").asText();
        assertThat(Instant.parse(lastSeenAfter).isAfter(Instant.parse(lastSeenBefore)), is(true));
    }

    @Test
    void aPingRefreshesTheTtlOfTheConnectionKeys() {
        Tab tab = openTab("phone", "Pixel 8");
        awaitExactRecords();
        Poll.pause(Duration.ofMillis(1500));
        long before = records.pttl("ws:connection:" + tab.socketId());

        tab.client().ping();

        Poll.eventually("PTTL of ws:connection after the ping", () -> records.pttl("ws:connection:" + tab.socketId()),
                        greaterThan(before + 500));
        assertThat(records.pttl(GatewayRecords.userSocketsKey(USER)), greaterThan(before + 500));
        assertThat(records.pttl(GatewayRecords.deviceSocketsKey(USER, "phone")), greaterThan(before + 500));
    }

    @Test
    void theNodeHeartbeatRecordDescribesTheNodeAndCountsItsSockets() {
        openTab("phone", "Pixel 8");
        openTab("laptop", "ThinkPad");

        Poll.eventually("the connection count of ws:node:" + NODE,
                        () -> records.node(NODE).map(n -> n.path("connections").asLong()).orElse(-1L), is(2L));
        JsonNode heartbeat = records.node(NODE).orElseThrow();
        assertThat(heartbeat.path("nodeId").asText(), is(NODE));
        assertThat(heartbeat.path("port").asInt(), is(node.port()));
        assertThat(heartbeat.path("host").asText(), not(is("")));
        assertRecentTimestamp(heartbeat.path("startedAt").asText());
        assertRecentTimestamp(heartbeat.path("lastHeartbeat").asText());
        assertThat("ws:node:{n} lapses after NODE_TTL_SECONDS", records.pttl(GatewayRecords.nodeKey(NODE)),
                   allOf(greaterThan(0L), lessThanOrEqualTo(3000L)));
    }

    @Test
    void theDeviceIdDefaultsToTheTokensDeviceIdClaim() {
        WsClient client = CLUSTER.connect(WsClient.to(node).bearer(Tokens.claims(USER).deviceId("tablet").sign()));

        JsonNode record = Poll.eventually("connection record", () -> records.connection(client.socketId()).orElse(null),
                                          not(is((JsonNode) null)));
        assertThat(record.path("deviceId").asText(), is("tablet"));
        assertThat(records.deviceSockets(USER, "tablet"), is(Set.of(client.socketId())));
    }

    @Test
    void theDeviceIdQueryParameterWinsOverTheTokenClaim() {
        WsClient client = CLUSTER.connect(WsClient.to(node).bearer(Tokens.claims(USER).deviceId("tablet").sign())
                                                   .device("phone"));

        Poll.eventually("device set of the query's deviceId", () -> records.deviceSockets(USER, "phone"),
                        is(Set.of(client.socketId())));
    }

    @Test
    void theDeviceIdIsDefaultWithoutQueryOrClaim() {
        WsClient client = CLUSTER.connect(node, USER);

        Poll.eventually("device set of the default device", () -> records.deviceSockets(USER, "default"),
                        is(Set.of(client.socketId())));
    }

    @Test
    void aSubscriberSeesOnlineExactlyOnceForThreeTabsOnTwoDevices() {
        WsClient bob = other("bob");
        assertThat(bob.subscribe(USER).path("success").asBoolean(), is(true));

        openTab("phone", "Pixel 8");
        JsonNode online = bob.awaitEvent("presence:online", EVENT);
        openTab("laptop", "ThinkPad");
        openTab("laptop", "ThinkPad");

        assertThat(online.path("userId").asText(), is(USER));
        assertRecentTimestamp(online.path("timestamp").asText());
        bob.assertNoEvent("presence:online", QUIET);
        bob.assertNoEvent("presence:offline", Duration.ZERO);
    }

    @Test
    void aSubscriberSeesOfflineExactlyOnceAfterTheLastTabCloses() {
        WsClient bob = other("bob");
        bob.subscribe(USER);
        Tab phone = openTab("phone", "Pixel 8");
        Tab laptop1 = openTab("laptop", "ThinkPad");
        Tab laptop2 = openTab("laptop", "ThinkPad");
        bob.awaitEvent("presence:online", EVENT);

        closeTab(phone);
        closeTab(laptop1);
        awaitExactRecords();
        bob.assertNoEvent("presence:offline", QUIET);
        closeTab(laptop2);

        JsonNode offline = bob.awaitEvent("presence:offline", EVENT);
        assertThat(offline.path("userId").asText(), is(USER));
        assertThat(offline.path("reason").asText(), is("disconnected"));
        assertRecentTimestamp(offline.path("timestamp").asText());
        bob.assertNoEvent("presence:offline", QUIET);
    }

    @Test
    void aUserComingBackAfterGoingOfflineIsOnlineAgain() {
        WsClient bob = other("bob");
        bob.subscribe(USER);
        closeTab(openTab("phone", "Pixel 8"));
        bob.awaitEvent("presence:online", EVENT);
        bob.awaitEvent("presence:offline", EVENT);

        openTab("phone", "Pixel 8");

        bob.awaitEvent("presence:online", EVENT);
        bob.assertNoEvent("presence:offline", QUIET);
    }

    @Test
    void aTcpDropWithoutCloseFrameCountsAsDisconnected() {
        WsClient bob = other("bob");
        bob.subscribe(USER);
        Tab phone = openTab("phone", "Pixel 8");
        bob.awaitEvent("presence:online", EVENT);

        phone.client().abort();
        openTabs.remove(phone);

        JsonNode offline = bob.awaitEvent("presence:offline", EVENT);
        assertThat(offline.path("reason").asText(), is("disconnected"));
        awaitExactRecords();
    }

    @Test
    void theSubscribeAckListsWhichRequestedUsersAreOnline() {
        openTab("phone", "Pixel 8");
        other("carol");
        WsClient bob = other("bob");

        JsonNode ack = bob.subscribe(USER, "carol", "dave");

        assertThat(ack.path("success").asBoolean(), is(true));
        assertThat(texts(ack.path("online")), is(Set.of(USER, "carol")));
    }

    @Test
    void afterUnsubscribeNoPresenceEventsArrive() {
        WsClient bob = other("bob");
        bob.subscribe(USER);
        JsonNode ack = bob.request("presence:unsubscribe", Map.of("userIds", List.of(USER)));
        assertThat(ack.path("success").asBoolean(), is(true));

        closeTab(openTab("phone", "Pixel 8"));
        awaitExactRecords();

        bob.assertNoEvent("presence:online", QUIET);
        bob.assertNoEvent("presence:offline", Duration.ZERO);
    }

    @Test
    void aSocketThatDidNotSubscribeSeesNoPresenceEventsByDefault() {
        WsClient bob = other("bob");

        closeTab(openTab("phone", "Pixel 8"));
        awaitExactRecords();

        bob.assertNoEvent("presence:online", QUIET);
        bob.assertNoEvent("presence:offline", Duration.ZERO);
    }

    @Test
    void aContactSeesTheUserComeAndGoWithoutSubscribing() {
        CLUSTER.redis().client().sadd("presence:contacts:bob", USER);
        WsClient bob = other("bob");

        Tab phone = openTab("phone", "Pixel 8");
        assertThat(bob.awaitEvent("presence:online", EVENT).path("userId").asText(), is(USER));
        closeTab(phone);

        assertThat(bob.awaitEvent("presence:offline", EVENT).path("userId").asText(), is(USER));
    }

    @Test
    void bulkOnlineListsTheOnlineContactsAndNeverTheUserItself() {
        openTab("phone", "Pixel 8");
        other("carol");
        other("dave");
        CLUSTER.redis().client().sadd("presence:contacts:bob", USER, "carol", "erin", "bob");
        other("bob");

        WsClient bob2 = other("bob");

        JsonNode bulk = bob2.awaitEvent("presence:bulk-online", EVENT);
        assertThat(texts(bulk.path("users")), is(Set.of(USER, "carol")));
    }

    @Test
    void allModeSendsPresenceToEverySocketAndBulkOnlineListsEveryOnlineUser() {
        GatewayProcess all = CLUSTER.start("node-all", Map.of("PRESENCE_NOTIFY", "all"));
        WsClient carol = CLUSTER.connect(all, "carol");
        WsClient bob = CLUSTER.connect(all, "bob");
        assertThat(texts(bob.awaitEvent("presence:bulk-online", EVENT).path("users")), is(Set.of("carol")));

        WsClient alice = CLUSTER.connect(all, USER);
        assertThat(bob.awaitEvent("presence:online", e -> e.path("userId").asText().equals(USER), EVENT)
                           .path("userId").asText(), is(USER));
        assertThat(carol.awaitEvent("presence:online", e -> e.path("userId").asText().equals(USER), EVENT)
                           .path("userId").asText(), is(USER));
        alice.closeNormally();

        assertThat(bob.awaitEvent("presence:offline", EVENT).path("userId").asText(), is(USER));
        assertThat(carol.awaitEvent("presence:offline", EVENT).path("userId").asText(), is(USER));
    }

    @Test
    void aUsersOwnSocketsGetNoPresenceEventsAboutThatUser() {
        GatewayProcess all = CLUSTER.start("node-all", Map.of("PRESENCE_NOTIFY", "all"));
        WsClient bob = CLUSTER.connect(all, "bob");

        WsClient alice = CLUSTER.connect(all, USER);
        bob.awaitEvent("presence:online", EVENT);

        alice.assertNoEvent("presence:online", e -> e.path("userId").asText().equals(USER), QUIET);
        assertThat(texts(alice.awaitEvent("presence:bulk-online", EVENT).path("users")), is(Set.of("bob")));
    }

    // ---------------------------------------------------------------- helpers

    private Tab openTab(String deviceId, String deviceName) {
        String userAgent = "it-browser/1.0 (" + deviceId + "; tab " + (openTabs.size() + 1) + ")";
        WsClient client = CLUSTER.connect(WsClient.to(node)
                                                   .bearer(Tokens.claims(USER).roleContextId(ROLE).sign())
                                                   .device(deviceId, deviceName)
                                                   .header("User-Agent", userAgent)
                                                   .name(USER + "@" + deviceId + "#" + (openTabs.size() + 1)));
        Tab tab = new Tab(client, client.socketId(), deviceId, deviceName, userAgent);
        openTabs.add(tab);
        return tab;
    }

    /** Connects another user to the node and remembers its socket for the layout checks. */
    private WsClient other(String userId) {
        WsClient client = CLUSTER.connect(node, userId);
        otherSockets.add(client.socketId());
        return client;
    }

    private void closeTab(Tab tab) {
        WsClient.Close close = tab.client().closeNormally();
        assertThat(close.code(), is(1000));
        openTabs.remove(tab);
    }

    /**
     * Waits until the keys of section 6 name exactly the open tabs: the connection records, the user's and each
     * device's socket sets, the presence hash, the online set and the node's socket set. Then checks each record.
     */
    private void awaitExactRecords() {
        Map<String, Object> expected = expectedLayout();
        Poll.eventually("the Redis layout of the open tabs", this::actualLayout, is(expected));
        for (Tab tab : openTabs) {
            JsonNode record = records.connection(tab.socketId()).orElseThrow();
            assertThat(record.path("userId").asText(), is(USER));
            assertThat(record.path("socketId").asText(), is(tab.socketId()));
            assertThat(record.path("deviceId").asText(), is(tab.deviceId()));
            assertThat(record.path("deviceName").asText(), is(tab.deviceName()));
            assertThat(record.path("serverId").asText(), is(NODE));
            assertThat(records.presence(USER).get(tab.socketId()).path("serverId").asText(), is(NODE));
        }
        for (String device : DEVICES) {
            if (openTabs.stream().noneMatch(t -> t.deviceId().equals(device))) {
                assertThat("an empty device set is deleted", records.exists(GatewayRecords.deviceSocketsKey(USER, device)),
                           is(false));
            }
        }
        if (openTabs.isEmpty()) {
            assertThat(records.exists(GatewayRecords.userSocketsKey(USER)), is(false));
            assertThat(records.exists(GatewayRecords.presenceKey(USER)), is(false));
        }
    }

    private Map<String, Object> expectedLayout() {
        Set<String> all = openTabs.stream().map(Tab::socketId).collect(Collectors.toCollection(TreeSet::new));
        Set<String> onNode = new TreeSet<>(all);
        onNode.addAll(otherSockets);
        Map<String, Object> layout = new TreeMap<>();
        layout.put("ws:connection:*", onNode);
        layout.put(GatewayRecords.userSocketsKey(USER), all);
        for (String device : DEVICES) {
            layout.put(GatewayRecords.deviceSocketsKey(USER, device), openTabs.stream()
                    .filter(t -> t.deviceId().equals(device)).map(Tab::socketId)
                    .collect(Collectors.toCollection(TreeSet::new)));
        }
        layout.put(GatewayRecords.presenceKey(USER) + " fields", all);
        layout.put("presence:online lists " + USER, !all.isEmpty());
        layout.put(GatewayRecords.nodeSocketsKey(NODE), onNode);
        return layout;
    }

    private Map<String, Object> actualLayout() {
        Map<String, Object> layout = new TreeMap<>();
        layout.put("ws:connection:*", records.connectionIds());
        layout.put(GatewayRecords.userSocketsKey(USER), records.userSockets(USER));
        for (String device : DEVICES) {
            layout.put(GatewayRecords.deviceSocketsKey(USER, device), records.deviceSockets(USER, device));
        }
        layout.put(GatewayRecords.presenceKey(USER) + " fields", new TreeSet<>(records.presence(USER).keySet()));
        layout.put("presence:online lists " + USER, records.onlineScore(USER).isPresent());
        layout.put(GatewayRecords.nodeSocketsKey(NODE), records.nodeSockets(NODE));
        return layout;
    }

    private void assertRecentTimestamp(String iso) {
        Instant instant = Instant.parse(iso);
        assertThat(iso + " is UTC", iso.endsWith("Z"), is(true));
        assertThat(iso, instant.isBefore(testStart.minusSeconds(30)), is(false));
        assertThat(iso, instant.isAfter(Instant.now().plusSeconds(2)), is(false));
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Set<String> texts(JsonNode array) {
        Set<String> values = new TreeSet<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
