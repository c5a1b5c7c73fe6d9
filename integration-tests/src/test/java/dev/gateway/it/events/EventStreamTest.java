package dev.gateway.it.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gateway.it.support.GatewayCluster;
import dev.gateway.it.support.GatewayProcess;
import dev.gateway.it.support.GatewayRecords;
import dev.gateway.it.support.Gateways;
import dev.gateway.it.support.WsClient;
import dev.gateway.testsupport.Poll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAutoClaimParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

/**
 * PROTOCOL section 10 against real gateway processes: the stream {@code gw:events} holds each happening of a session
 * once, in order, and nothing for what did not happen (a duplicate or refused message, a second tab's join); workers
 * read it with a consumer group, share it, and get a crashed worker's entries again.
 */
class EventStreamTest {
    static final String STREAM = "gw:events";
    private static final Duration EVENT = Duration.ofSeconds(5);
    /** NODE_TTL_SECONDS (3) for the key to lapse, plus the survivor's check interval and slack. */
    private static final Duration DEAD_NODE_NOTICED = Duration.ofSeconds(10);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @RegisterExtension
    static final GatewayCluster CLUSTER = GatewayCluster.onRedis();

    private final GatewayRecords records = CLUSTER.records();

    /** One entry: its type and its data. */
    record Event(String id, String type, JsonNode data) {
        String summary() {
            return switch (type) {
                case "chat.message" -> type + " " + data.path("chatId").asText() + " " + data.path("senderId").asText() + " "
                        + data.path("content").asText();
                case "chat.user-joined", "chat.user-left" -> type + " " + data.path("chatId").asText() + " "
                        + data.path("userId").asText();
                case "socket.opened" -> type + " " + data.path("userId").asText() + " " + data.path("socketId").asText();
                case "socket.closed" -> type + " " + data.path("userId").asText() + " " + data.path("socketId").asText() + " "
                        + data.path("code").asInt() + " " + data.path("reason").asText();
                case "user.offline" -> type + " " + data.path("userId").asText() + " " + data.path("reason").asText();
                default -> type + " " + data.path("userId").asText();
            };
        }
    }

    static List<Event> events(RedisClient redis) {
        List<Event> events = new ArrayList<>();
        for (StreamEntry entry : redis.xrange(STREAM, "-", "+")) {
            events.add(event(entry));
        }
        return events;
    }

    static Event event(StreamEntry entry) {
        try {
            return new Event(entry.getID().toString(), entry.getFields().get("type"), MAPPER.readTree(entry.getFields().get("data")));
        } catch (Exception e) {
            throw new AssertionError("data of " + entry + " is not JSON", e);
        }
    }

    private List<String> summaries() {
        return events(CLUSTER.redis().client()).stream().map(Event::summary).toList();
    }

    private static JsonNode request(WsClient client, String event, Map<String, Object> data) {
        return client.request(event, data);
    }

    private static JsonNode send(WsClient client, String chatId, String content, String clientMsgId) {
        return request(client, "chat:send", Map.of("chatId", chatId, "content", content, "clientMsgId", clientMsgId));
    }

    private void closeAndAwaitRemoval(WsClient client) {
        client.closeNormally();
        Poll.eventually(client + "'s record", () -> records.connection(client.socketId()).isPresent(), is(false));
    }

    @Test
    void aScriptedSessionLeavesExactlyItsHappeningsInTheStream() {
        GatewayProcess nodeA = CLUSTER.start("events-a", Map.of());
        GatewayProcess nodeB = CLUSTER.start("events-b", Map.of());

        WsClient aliceTab1 = CLUSTER.connect(nodeA, "alice");
        WsClient aliceTab2 = CLUSTER.connect(nodeB, "alice");
        WsClient bob = CLUSTER.connect(nodeA, "bob");
        assertThat(request(aliceTab1, "chat:join", Map.of("chatId", "c1")).path("success").asBoolean(), is(true));
        assertThat(request(bob, "chat:join", Map.of("chatId", "c1")).path("success").asBoolean(), is(true));
        assertThat(request(aliceTab2, "chat:join", Map.of("chatId", "c1")).path("success").asBoolean(), is(true));
        JsonNode accepted = send(aliceTab1, "c1", "hello", "m1");
        JsonNode duplicate = send(aliceTab2, "c1", "hello", "m1");
        JsonNode notJoined = send(bob, "c2", "elsewhere", "m2");
        JsonNode empty = send(bob, "c1", "", "m3");
        bob.awaitEvent("chat:message", EVENT);
        assertThat(request(aliceTab1, "chat:leave", Map.of("chatId", "c1")).path("success").asBoolean(), is(true));
        assertThat(request(bob, "chat:leave", Map.of("chatId", "c1")).path("success").asBoolean(), is(true));
        closeAndAwaitRemoval(aliceTab1);
        closeAndAwaitRemoval(aliceTab2);
        WsClient carol = CLUSTER.connect(nodeB, "carol");
        nodeB.kill();
        Poll.eventually("carol online after node-b died", () -> records.onlineUsers().contains("carol"), is(false),
                        DEAD_NODE_NOTICED);

        assertThat(accepted.path("status").asText(), is("ACCEPTED"));
        assertThat(duplicate.path("messageId").asText(), is(accepted.path("messageId").asText()));
        assertThat(notJoined.path("status").asText(), is("FAILED"));
        assertThat(empty.path("success").asBoolean(), is(false));
        assertThat(summaries(), contains(
                "socket.opened alice " + aliceTab1.socketId(),
                "user.online alice",
                "socket.opened alice " + aliceTab2.socketId(),
                "socket.opened bob " + bob.socketId(),
                "user.online bob",
                "chat.user-joined c1 alice",
                "chat.user-joined c1 bob",
                "chat.message c1 alice hello",
                "chat.user-left c1 bob",
                "socket.closed alice " + aliceTab1.socketId() + " 1000 client-closed",
                "socket.closed alice " + aliceTab2.socketId() + " 1000 client-closed",
                "chat.user-left c1 alice",
                "user.offline alice disconnected",
                "socket.opened carol " + carol.socketId(),
                "user.online carol",
                "socket.closed carol " + carol.socketId() + " 1006 node-dead",
                "user.offline carol expired"));
    }

    @Test
    void eachEntryCarriesTheDataOfTheContract() {
        GatewayProcess node = CLUSTER.start("events-data", Map.of());
        WsClient alice = CLUSTER.connect(node, "alice", "phone", "Pixel 8");
        request(alice, "chat:join", Map.of("chatId", "c1"));
        JsonNode ack = send(alice, "c1", "hi", "m1");
        JsonNode delivered = alice.awaitEvent("chat:message", EVENT);

        List<Event> events = events(CLUSTER.redis().client());

        Event opened = events.get(0);
        assertThat(fields(opened.data()), contains("socketId", "userId", "deviceId", "serverId", "timestamp"));
        assertThat(opened.data().path("deviceId").asText(), is("phone"));
        assertThat(opened.data().path("serverId").asText(), is("events-data"));
        Event online = events.get(1);
        assertThat(fields(online.data()), contains("userId", "timestamp", "serverId"));
        Event message = events.get(3);
        assertThat(message.type(), is("chat.message"));
        // the chat:message data of section 4, exactly as the room received it
        assertThat(message.data(), is(delivered));
        assertThat(message.data().path("id").asText(), is(ack.path("messageId").asText()));
    }

    private static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void twoWorkersOfAGroupSeeEveryEntryOnceAndACrashedWorkersEntriesAreClaimedAgain() throws Exception {
        RedisClient redis = CLUSTER.redis().client();
        redis.xgroupCreate(STREAM, "workers", new StreamEntryID(), true); // MKSTREAM, from the start
        GatewayProcess node = CLUSTER.start("events-workers", Map.of());
        Map<String, Set<String>> seen = new ConcurrentHashMap<>();
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        List<Future<?>> workers = new ArrayList<>();
        for (String worker : List.of("worker-1", "worker-2")) {
            seen.put(worker, ConcurrentHashMap.newKeySet());
            workers.add(threads.submit(() -> {
                while (!done.get()) {
                    var read = redis.xreadGroup("workers", worker, XReadGroupParams.xReadGroupParams().count(2).block(100),
                                                Map.of(STREAM, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
                    if (read == null) {
                        continue;
                    }
                    for (var stream : read) {
                        for (StreamEntry entry : stream.getValue()) {
                            seen.get(worker).add(entry.getID().toString());
                            redis.xack(STREAM, "workers", entry.getID());
                        }
                    }
                }
                return null;
            }));
        }
        WsClient alice = CLUSTER.connect(node, "alice");
        request(alice, "chat:join", Map.of("chatId", "c1"));
        for (int i = 0; i < 30; i++) {
            send(alice, "c1", "message " + i, "m" + i);
        }
        closeAndAwaitRemoval(alice);
        Set<String> all = new HashSet<>(events(redis).stream().map(Event::id).toList());
        Poll.eventually("entries the workers acknowledged",
                        () -> seen.values().stream().mapToInt(Set::size).sum(), is(all.size()));
        done.set(true);
        for (Future<?> worker : workers) {
            worker.get();
        }
        threads.shutdown();

        Set<String> union = new HashSet<>(seen.get("worker-1"));
        union.addAll(seen.get("worker-2"));
        assertThat(union, is(all));
        Set<String> both = new HashSet<>(seen.get("worker-1"));
        both.retainAll(seen.get("worker-2"));
        assertThat("entries both workers got", both, is(empty()));
        assertThat(all.size(), is(2 + 1 + 30 + 3)); // opened, online, joined, 30 messages, closed, left, offline

        // a worker that reads and dies before XACK: its entries stay pending and another worker claims them
        WsClient bob = CLUSTER.connect(node, "bob");
        Poll.eventually("bob's entries", () -> events(redis).size(), is(all.size() + 2));
        var crashed = redis.xreadGroup("workers", "worker-crashed", XReadGroupParams.xReadGroupParams().count(10),
                                       Map.of(STREAM, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
        List<String> lost = crashed.getFirst().getValue().stream().map(entry -> entry.getID().toString()).toList();
        assertThat(lost.size(), is(2));
        assertThat(redis.xpending(STREAM, "workers").getTotal(), is(2L));
        Poll.pause(Duration.ofMillis(200));

        var claimed = redis.xautoclaim(STREAM, "workers", "worker-1", 100, new StreamEntryID(), XAutoClaimParams.xAutoClaimParams());
        List<String> again = claimed.getValue().stream().map(entry -> entry.getID().toString()).toList();
        assertThat(again, is(lost));
        assertThat(claimed.getValue().stream().map(entry -> entry.getFields().get("type")).toList(),
                   contains("socket.opened", "user.online"));
        claimed.getValue().forEach(entry -> redis.xack(STREAM, "workers", entry.getID()));
        assertThat(redis.xpending(STREAM, "workers").getTotal(), is(0L));
        bob.closeNormally();
    }

    @Test
    void eventsOffAppendsNothing() {
        GatewayProcess node = CLUSTER.start("events-off", Gateways.env("EVENTS", "off"));
        WsClient alice = CLUSTER.connect(node, "alice");
        WsClient bob = CLUSTER.connect(node, "bob");
        request(alice, "chat:join", Map.of("chatId", "c1"));
        send(alice, "c1", "hi", "m1");
        request(alice, "chat:leave", Map.of("chatId", "c1"));
        closeAndAwaitRemoval(alice);
        closeAndAwaitRemoval(bob);

        assertThat(CLUSTER.redis().client().exists(STREAM), is(false));
        assertThat(node.output().stream().anyMatch(line -> line.contains("events=off")), is(true));
    }

    @Test
    void aBadEventsSettingStopsTheGatewayWithAReason() {
        GatewayProcess node = CLUSTER.launch("events-bad", Gateways.env("EVENTS_MAXLEN", "lots"));

        assertThat(node.awaitExit() != 0, is(true));
        assertThat(node.output().stream().anyMatch(line -> line.contains("EVENTS_MAXLEN must be a positive integer, got 'lots'")),
                   is(true));
    }
}
