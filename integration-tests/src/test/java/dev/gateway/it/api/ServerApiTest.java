package dev.gateway.it.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gateway.it.support.ApiClient.Answer;
import dev.gateway.it.support.ApiClient;
import dev.gateway.it.support.GatewayCluster;
import dev.gateway.it.support.GatewayProcess;
import dev.gateway.it.support.Gateways;
import dev.gateway.it.support.WsClient;
import dev.gateway.protocol.store.RedisKeys;
import dev.gateway.testsupport.Poll;
import dev.gateway.testsupport.TestRedis;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

/**
 * PROTOCOL section 9 against two real nodes on one Redis, with real WebSocket clients: every endpoint answers the
 * same on the node that holds the sockets and on the other, and refuses what the contract refuses. The nodes serve
 * the whole class and Redis is kept between tests, so each test uses users and chats of its own ({@link #unique}).
 */
class ServerApiTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration QUIET = Duration.ofMillis(700);
    private static final AtomicInteger IDS = new AtomicInteger();

    @RegisterExtension
    static final GatewayCluster CLUSTER = GatewayCluster.nodes("api-a", "api-b").redis(TestRedis.keptBetweenTests())
            .env(Gateways.env("GATEWAY_API_KEY", ApiClient.KEY));

    private static GatewayProcess nodeA;
    private static GatewayProcess nodeB;
    private static ApiClient apiA;
    private static ApiClient apiB;

    @BeforeAll
    static void nameNodes() {
        nodeA = CLUSTER.node("api-a");
        nodeB = CLUSTER.node("api-b");
        apiA = ApiClient.of(nodeA);
        apiB = ApiClient.of(nodeB);
    }

    private static String unique(String name) {
        return name + "-" + IDS.incrementAndGet();
    }

    private static List<ApiClient> bothNodes() {
        return List.of(apiA, apiB);
    }

    private static void assertValidation(Answer answer, String field) {
        assertThat(answer.toString(), answer.status(), is(400));
        assertThat(answer.toString(), answer.json().path("error").asText(), is("validation"));
        assertThat(answer.toString(), answer.json().path("message").asText(), startsWith(field));
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }

    // ------------------------------------------------------------------------------------------------ keys

    @Test
    void everyEndpointRefusesAMissingOrWrongKeyWith401AndNoDetail() {
        List<Optional<String>> refused = List.of(Optional.empty(), Optional.of("Bearer not-the-key-0123456789-0123456789-xyz"),
                                                 Optional.of("Basic " + ApiClient.KEY), Optional.of(ApiClient.KEY),
                                                 Optional.of("Bearer " + ApiClient.KEY + "x"));
        for (ApiClient api : bothNodes()) {
            for (Optional<String> header : refused) {
                ApiClient client = api.authorization(header);
                for (Answer answer : List.of(client.post("/api/v1/publish", Map.of("target", Map.of("userId", "u"), "event", "e")),
                                             client.post("/api/v1/chats/c/messages", Map.of("senderId", "u", "content", "x")),
                                             client.get("/api/v1/chats/c/messages"),
                                             client.put("/api/v1/chats/c/members/u"),
                                             client.delete("/api/v1/chats/c/members/u"),
                                             client.get("/api/v1/users/u/presence"),
                                             client.post("/api/v1/presence/query", Map.of("userIds", List.of("u"))),
                                             client.get("/api/v1/presence/online"),
                                             client.get("/api/v1/connections"),
                                             client.get("/api/v1/nodes"),
                                             client.post("/api/v1/disconnect", Map.of("userId", "u")),
                                             client.get("/api/v1/no-such-endpoint"))) {
                    assertThat(header + ": " + answer, answer.status(), is(401));
                    assertThat(answer.body(), is("{\"error\":\"unauthorized\"}"));
                }
            }
        }
    }

    @Test
    void theOpenApiDocumentNeedsNoKey() {
        Answer answer = apiB.authorization(Optional.empty()).get("/api/v1/openapi.yaml");
        assertThat(answer.status(), is(200));
        assertThat(answer.body(), startsWith("openapi: 3"));
        assertThat(answer.body(), containsString("/presence/query:"));
    }

    @Test
    void anUnknownPathUnderTheApiIs404NotFound() {
        Answer answer = apiA.get("/api/v1/no-such-endpoint");
        assertThat(answer.status(), is(404));
        assertThat(answer.json().path("error").asText(), is("not_found"));
    }

    // ------------------------------------------------------------------------------------------------ publish

    @Test
    void publishToAUserReachesTheirSocketsOnEveryNodeFromEitherNode() {
        String user = unique("pub-user");
        WsClient onA = CLUSTER.connect(nodeA, user, "laptop", "Laptop");
        WsClient onB = CLUSTER.connect(nodeB, user, "phone", "Phone");
        for (ApiClient api : bothNodes()) {
            String text = "hello from " + api;
            Answer answer = api.post("/api/v1/publish", Map.of("target", Map.of("userId", user), "event", "notice",
                                                               "data", Map.of("text", text)));
            assertThat(answer.toString(), answer.status(), is(200));
            assertThat(answer.json().path("nodes").asInt(), is(2));
            assertThat(onA.awaitEvent("notice", WAIT).path("text").asText(), is(text));
            assertThat(onB.awaitEvent("notice", WAIT).path("text").asText(), is(text));
        }
    }

    @Test
    void publishToADeviceReachesOnlyThatDevice() {
        String user = unique("pub-device");
        WsClient laptop = CLUSTER.connect(nodeA, user, "laptop", "Laptop");
        WsClient phone = CLUSTER.connect(nodeB, user, "phone", "Phone");
        Answer answer = apiA.post("/api/v1/publish", Map.of("target", Map.of("userId", user, "deviceId", "phone"),
                                                            "event", "session:revoked", "data", List.of(1, 2)));
        assertThat(answer.toString(), answer.status(), is(200));
        assertThat(texts(phone.awaitEvent("session:revoked", WAIT)), contains("1", "2"));
        laptop.assertNoEvent("session:revoked", QUIET);
    }

    @Test
    void publishToAChatRoomReachesItsMembersAndNotOthers() {
        String chat = unique("pub-chat");
        WsClient member = CLUSTER.connect(nodeB, unique("member"));
        WsClient outsider = CLUSTER.connect(nodeA, unique("outsider"));
        assertThat(member.request("chat:join", Map.of("chatId", chat)).path("success").asBoolean(), is(true));
        Answer answer = apiA.post("/api/v1/publish", Map.of("target", Map.of("room", "chat:" + chat), "event", "announcement"));
        assertThat(answer.toString(), answer.json().path("nodes").asInt(), is(1));
        assertThat(member.awaitEvent("announcement", WAIT).isObject(), is(true));
        outsider.assertNoEvent("announcement", QUIET);
    }

    @Test
    void publishToATargetNobodyHoldsAnswersZeroNodes() {
        Answer answer = apiB.post("/api/v1/publish", Map.of("target", Map.of("userId", unique("nobody")), "event", "notice"));
        assertThat(answer.toString(), answer.status(), is(200));
        assertThat(answer.json().path("nodes").asInt(), is(0));
    }

    @Test
    void publishRefusesABadTargetEventOrBodyNamingTheField() {
        assertValidation(apiA.post("/api/v1/publish", Map.of("event", "notice")), "target");
        assertValidation(apiA.post("/api/v1/publish", Map.of("target", "alice", "event", "notice")), "target");
        assertValidation(apiA.post("/api/v1/publish", Map.of("target", Map.of("userId", "a", "room", "chat:x"), "event", "n")),
                         "target");
        assertValidation(apiA.post("/api/v1/publish", Map.of("target", Map.of("room", "lobby"), "event", "n")), "target.room");
        assertValidation(apiA.post("/api/v1/publish", Map.of("target", Map.of("userId", "bad id"), "event", "n")), "target.userId");
        assertValidation(apiA.post("/api/v1/publish", Map.of("target", Map.of("room", "chat:x", "deviceId", "d"), "event", "n")),
                         "target.deviceId");
        assertValidation(apiB.post("/api/v1/publish", Map.of("target", Map.of("userId", "a"))), "event");
        assertValidation(apiB.post("/api/v1/publish", Map.of("target", Map.of("userId", "a"), "event", "has space")), "event");
        assertValidation(apiB.post("/api/v1/publish", Map.of("target", Map.of("userId", "a"), "event", "e".repeat(65))), "event");
        for (String reserved : List.of("ack", "error", "connected")) {
            assertValidation(apiB.post("/api/v1/publish", Map.of("target", Map.of("userId", "a"), "event", reserved)), "event");
        }
        assertValidation(apiB.post("/api/v1/publish", "not json"), "body");
        assertValidation(apiB.post("/api/v1/publish", "[1, 2]"), "body");
        assertValidation(apiB.post("/api/v1/publish", ""), "body");
    }

    @Test
    void aBodyOrDataOverMaxFrameBytesIs413() {
        String big = "x".repeat(65_536);
        Answer data = apiA.post("/api/v1/publish", Map.of("target", Map.of("userId", "a"), "event", "n", "data", big));
        assertThat(data.status(), is(413));
        Answer body = apiB.post("/api/v1/presence/query", "{\"userIds\":[\"" + big + "\"]}");
        assertThat(body.status(), is(413));
    }

    // ------------------------------------------------------------------------------------------------ chat

    @Test
    void aBackendMessagePostedToOneNodeReachesMembersOnTheOtherOnceInOrderWithClientMessages() {
        String chat = unique("backend-chat");
        WsClient onB = CLUSTER.connect(nodeB, unique("reader"));
        WsClient onA = CLUSTER.connect(nodeA, unique("writer"));
        assertThat(onB.request("chat:join", Map.of("chatId", chat)).path("success").asBoolean(), is(true));
        assertThat(onA.request("chat:join", Map.of("chatId", chat)).path("success").asBoolean(), is(true));

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            JsonNode ack = onA.request("chat:send", Map.of("chatId", chat, "content", "client " + i, "clientMsgId", "c" + i));
            assertThat(ack.toString(), ack.path("status").asText(), is("ACCEPTED"));
            expected.add("client " + i);
            Answer posted = apiA.post("/api/v1/chats/" + chat + "/messages",
                                      Map.of("senderId", "bot", "content", "backend " + i, "clientMsgId", "b" + i));
            assertThat(posted.toString(), posted.status(), is(200));
            assertThat(posted.json().path("clientMsgId").asText(), is("b" + i));
            assertThat(posted.json().path("messageId").asText(), notNullValue());
            expected.add("backend " + i);
        }
        // the same clientMsgId again, on the other node: the first message's id, and nothing delivered twice
        Answer first = apiA.post("/api/v1/chats/" + chat + "/messages", Map.of("senderId", "bot", "content", "again", "clientMsgId", "b0"));
        Answer repeat = apiB.post("/api/v1/chats/" + chat + "/messages", Map.of("senderId", "bot", "content", "again", "clientMsgId", "b0"));
        assertThat(repeat.json().path("messageId").asText(), is(first.json().path("messageId").asText()));

        List<String> received = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            JsonNode message = onB.awaitEvent("chat:message", WAIT);
            received.add(message.path("content").asText());
            if (message.path("content").asText().startsWith("backend")) {
                assertThat(message.path("senderId").asText(), is("bot"));
                assertThat(message.path("chatId").asText(), is(chat));
            }
        }
        assertThat(received, is(expected));
        onB.assertNoEvent("chat:message", QUIET);
    }

    @Test
    void historyPagesNewestFirstFromEitherNode() {
        String chat = unique("history");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(apiA.post("/api/v1/chats/" + chat + "/messages", Map.of("senderId", "bot", "content", "m" + i))
                            .json().path("messageId").asText());
        }
        Answer all = apiB.get("/api/v1/chats/" + chat + "/messages");
        assertThat(all.toString(), all.status(), is(200));
        List<String> contents = new ArrayList<>();
        all.json().path("messages").forEach(m -> contents.add(m.path("content").asText()));
        assertThat(contents, contains("m3", "m2", "m1", "m0"));
        Answer page = apiA.get("/api/v1/chats/" + chat + "/messages?beforeId=" + ids.get(2) + "&limit=1");
        assertThat(page.json().path("messages").size(), is(1));
        assertThat(page.json().path("messages").get(0).path("id").asText(), is(ids.get(1)));
        assertThat(apiA.get("/api/v1/chats/" + unique("empty") + "/messages").json().path("messages").size(), is(0));
    }

    @Test
    void chatEndpointsRefuseBadFieldsNamingThem() {
        assertValidation(apiA.post("/api/v1/chats/c/messages", Map.of("content", "x")), "senderId");
        assertValidation(apiA.post("/api/v1/chats/c/messages", Map.of("senderId", "bad id", "content", "x")), "senderId");
        assertValidation(apiA.post("/api/v1/chats/c/messages", Map.of("senderId", "u")), "content");
        assertValidation(apiA.post("/api/v1/chats/c/messages", Map.of("senderId", "u", "content", "")), "content");
        assertValidation(apiA.post("/api/v1/chats/c/messages", Map.of("senderId", "u", "content", "x".repeat(4001))), "content");
        assertValidation(apiA.post("/api/v1/chats/c/messages", Map.of("senderId", "u", "content", "x", "clientMsgId",
                                                                      "x".repeat(65))), "clientMsgId");
        assertValidation(apiA.post("/api/v1/chats/c/messages", Map.of("senderId", "u", "content", 5)), "content");
        assertValidation(apiB.post("/api/v1/chats/bad%20chat/messages", Map.of("senderId", "u", "content", "x")), "chatId");
        assertValidation(apiB.get("/api/v1/chats/c/messages?beforeId=yesterday"), "beforeId");
        assertValidation(apiB.get("/api/v1/chats/c/messages?beforeId=0-0"), "beforeId");
        assertValidation(apiB.get("/api/v1/chats/c/messages?limit=0"), "limit");
        assertValidation(apiB.get("/api/v1/chats/c/messages?limit=many"), "limit");
        assertValidation(apiB.put("/api/v1/chats/c/members/bad%20user"), "userId");
    }

    @Test
    void putAndDeleteMaintainTheChatsMemberSet() {
        String chat = unique("members");
        assertThat(apiA.put("/api/v1/chats/" + chat + "/members/ann").status(), is(204));
        assertThat(apiB.put("/api/v1/chats/" + chat + "/members/dm:ann:ben").status(), is(204));
        assertThat(CLUSTER.redis().client().smembers(RedisKeys.chatMembers(chat)), containsInAnyOrder("ann", "dm:ann:ben"));
        assertThat(apiB.delete("/api/v1/chats/" + chat + "/members/ann").status(), is(204));
        assertThat(apiB.delete("/api/v1/chats/" + chat + "/members/ann").status(), is(204));
        assertThat(CLUSTER.redis().client().smembers(RedisKeys.chatMembers(chat)), is(Set.of("dm:ann:ben")));
    }

    @Test
    void deletingAMemberTakesTheirSocketsOutOfTheRoomOnEveryNode() {
        String chat = unique("kick");
        String gone = unique("gone");
        WsClient goneOnA = CLUSTER.connect(nodeA, gone, "laptop", "Laptop");
        WsClient goneOnB = CLUSTER.connect(nodeB, gone, "phone", "Phone");
        WsClient stays = CLUSTER.connect(nodeA, unique("stays"));
        for (WsClient client : List.of(goneOnA, goneOnB, stays)) {
            assertThat(client.request("chat:join", Map.of("chatId", chat)).path("success").asBoolean(), is(true));
        }
        apiA.put("/api/v1/chats/" + chat + "/members/" + gone);

        assertThat(apiB.delete("/api/v1/chats/" + chat + "/members/" + gone).status(), is(204));
        JsonNode left = stays.awaitEvent("chat:user-left", data -> data.path("userId").asText().equals(gone), WAIT);
        assertThat(left.path("chatId").asText(), is(chat));
        stays.assertNoEvent("chat:user-left", data -> data.path("userId").asText().equals(gone), QUIET); // once: the last socket

        apiA.post("/api/v1/chats/" + chat + "/messages", Map.of("senderId", "bot", "content", "after the kick"));
        assertThat(stays.awaitEvent("chat:message", WAIT).path("content").asText(), is("after the kick"));
        goneOnA.assertNoEvent("chat:message", QUIET);
        goneOnB.assertNoEvent("chat:message", QUIET);
        JsonNode send = goneOnB.request("chat:send", Map.of("chatId", chat, "content", "still here?"));
        assertThat(send.toString(), send.path("error").path("code").asText(), is("FORBIDDEN"));
    }

    // ------------------------------------------------------------------------------------------------ presence

    @Test
    void userPresenceListsDevicesAndSocketsFromEitherNode() {
        String user = unique("presence");
        WsClient laptop = CLUSTER.connect(nodeA, user, "laptop", "MacBook");
        CLUSTER.connect(nodeB, user, "phone", "Pixel");
        CLUSTER.connect(nodeB, user, "phone", "Pixel");
        laptop.ping();
        for (ApiClient api : bothNodes()) {
            Poll.eventually("sockets of " + user, () -> api.get("/api/v1/users/" + user + "/presence").json().path("sockets").asInt(),
                            is(3));
            JsonNode presence = api.get("/api/v1/users/" + user + "/presence").json();
            assertThat(presence.path("userId").asText(), is(user));
            assertThat(presence.path("online").asBoolean(), is(true));
            assertThat(presence.path("lastSeen").asText(), startsWith("20"));
            List<String> devices = new ArrayList<>();
            presence.path("devices").forEach(d -> devices.add(d.path("deviceId").asText() + "/" + d.path("deviceName").asText()
                                                                      + "/" + d.path("sockets").asInt()));
            assertThat(devices, contains("laptop/MacBook/1", "phone/Pixel/2"));
        }
    }

    @Test
    void anUnknownUserIsOfflineWithLastSeenNull() {
        JsonNode presence = apiB.get("/api/v1/users/" + unique("unknown") + "/presence").json();
        assertThat(presence.path("online").asBoolean(), is(false));
        assertThat(presence.path("lastSeen").isNull(), is(true));
        assertThat(presence.path("sockets").asInt(), is(0));
        assertThat(presence.path("devices").size(), is(0));
        assertValidation(apiB.get("/api/v1/users/bad%20user/presence"), "userId");
    }

    @Test
    void presenceQueryAnswersAThousandIdsAndRefusesMoreOrNone() {
        String on = unique("q-on");
        String onB = unique("q-on");
        CLUSTER.connect(nodeA, on);
        CLUSTER.connect(nodeB, onB);
        List<String> ids = new ArrayList<>(IntStream.range(0, 998).mapToObj(i -> "q-off-" + i).toList());
        ids.add(on);
        ids.add(onB);
        for (ApiClient api : bothNodes()) {
            Answer answer = api.post("/api/v1/presence/query", Map.of("userIds", ids));
            assertThat(answer.status(), is(200));
            assertThat(texts(answer.json().path("online")), containsInAnyOrder(on, onB));
            assertThat(answer.json().path("lastSeen").size(), is(1000));
            assertThat(answer.json().path("lastSeen").path(on).asText(), startsWith("20"));
            assertThat(answer.json().path("lastSeen").path("q-off-1").isNull(), is(true));
        }
        List<String> tooMany = new ArrayList<>(ids);
        tooMany.add("one-more");
        assertValidation(apiA.post("/api/v1/presence/query", Map.of("userIds", tooMany)), "userIds");
        assertValidation(apiA.post("/api/v1/presence/query", Map.of("userIds", List.of())), "userIds");
        assertValidation(apiA.post("/api/v1/presence/query", Map.of("userIds", "alice")), "userIds");
        assertValidation(apiA.post("/api/v1/presence/query", Map.of("userIds", List.of("bad id"))), "userIds");
        assertValidation(apiA.post("/api/v1/presence/query", Map.of()), "userIds");
    }

    @Test
    void onlineUsersAreListedAndSearchable() {
        String user = unique("findme-xyz");
        CLUSTER.connect(nodeB, user);
        JsonNode online = apiA.get("/api/v1/presence/online?limit=1000").json();
        assertThat(online.path("count").asInt() >= 1, is(true));
        List<String> users = new ArrayList<>();
        online.path("users").forEach(u -> users.add(u.path("userId").asText()));
        assertThat(users, hasItem(user));
        JsonNode found = apiB.get("/api/v1/presence/online?search=findme-xyz").json();
        assertThat(found.path("users").size(), is(1));
        assertThat(found.path("users").get(0).path("userId").asText(), is(user));
        assertThat(found.path("users").get(0).path("sockets").asInt(), is(1));
        assertValidation(apiB.get("/api/v1/presence/online?limit=0"), "limit");
    }

    // ------------------------------------------------------------------------------------------------ directory

    @Test
    void connectionsAreFilteredByUserNodeAndDevice() {
        String user = unique("conn");
        WsClient laptop = CLUSTER.connect(nodeA, user, "laptop", "Laptop");
        WsClient phone = CLUSTER.connect(nodeB, user, "phone", "Phone");
        for (ApiClient api : bothNodes()) {
            JsonNode all = api.get("/api/v1/connections?userId=" + user).json();
            List<String> sockets = new ArrayList<>();
            all.forEach(c -> sockets.add(c.path("socketId").asText()));
            assertThat(sockets, containsInAnyOrder(laptop.socketId(), phone.socketId()));
            JsonNode onB = api.get("/api/v1/connections?userId=" + user + "&nodeId=api-b").json();
            assertThat(onB.size(), is(1));
            assertThat(onB.get(0).path("socketId").asText(), is(phone.socketId()));
            assertThat(onB.get(0).path("deviceId").asText(), is("phone"));
            assertThat(onB.get(0).path("serverId").asText(), is("api-b"));
            JsonNode device = api.get("/api/v1/connections?userId=" + user + "&deviceId=laptop").json();
            assertThat(device.size(), is(1));
            assertThat(device.get(0).path("socketId").asText(), is(laptop.socketId()));
        }
        List<String> nodeA = new ArrayList<>();
        apiB.get("/api/v1/connections?nodeId=api-a").json().forEach(c -> nodeA.add(c.path("socketId").asText()));
        assertThat(nodeA, hasItem(laptop.socketId()));
        assertThat(nodeA, not(hasItem(phone.socketId())));
        assertThat(apiB.get("/api/v1/connections?userId=" + unique("nobody")).json().size(), is(0));
    }

    @Test
    void nodesListsBothNodesAlive() {
        for (ApiClient api : bothNodes()) {
            JsonNode nodes = api.get("/api/v1/nodes").json();
            List<String> ids = new ArrayList<>();
            nodes.forEach(n -> {
                ids.add(n.path("nodeId").asText());
                assertThat(n.toString(), n.path("alive").asBoolean(), is(true));
                assertThat(n.toString(), n.path("port").asInt() > 0, is(true));
                assertThat(n.toString(), n.has("connections"), is(true));
            });
            assertThat(ids, containsInAnyOrder("api-a", "api-b"));
        }
    }

    // ------------------------------------------------------------------------------------------------ disconnect

    @Test
    void disconnectingASocketFromTheOtherNodeClosesItWith4403AndTheReason() {
        String user = unique("dc-socket");
        WsClient target = CLUSTER.connect(nodeA, user, "laptop", "Laptop");
        WsClient other = CLUSTER.connect(nodeA, user, "phone", "Phone");
        Answer answer = apiB.post("/api/v1/disconnect", Map.of("socketId", target.socketId(), "reason", "account review"));
        assertThat(answer.toString(), answer.status(), is(200));
        assertThat(answer.json().size(), is(1));
        JsonNode row = answer.json().get(0);
        assertThat(row.path("socketId").asText(), is(target.socketId()));
        assertThat(row.path("userId").asText(), is(user));
        assertThat(row.path("serverId").asText(), is("api-a"));
        assertThat(row.path("result").asText(), is("closed"));
        WsClient.Close close = target.awaitClose(WAIT);
        assertThat(close.code(), is(4403));
        assertThat(close.reason(), is("account review"));
        assertThat(other.isClosed(), is(false));
    }

    @Test
    void disconnectingAUserClosesEverySocketOnEveryNode() {
        String user = unique("dc-user");
        WsClient onA = CLUSTER.connect(nodeA, user, "laptop", "Laptop");
        WsClient onB = CLUSTER.connect(nodeB, user, "phone", "Phone");
        Answer answer = apiA.post("/api/v1/disconnect", Map.of("userId", user, "timeoutMs", 5000));
        assertThat(answer.toString(), answer.status(), is(200));
        List<String> results = new ArrayList<>();
        answer.json().forEach(r -> results.add(r.path("serverId").asText() + ":" + r.path("result").asText()));
        assertThat(results, containsInAnyOrder("api-a:closed", "api-b:closed"));
        assertThat(onA.awaitClose(WAIT).code(), is(4403));
        assertThat(onB.awaitClose(WAIT).code(), is(4403));
        assertThat(apiB.get("/api/v1/users/" + user + "/presence").json().path("online").asBoolean(), is(false));
    }

    @Test
    void disconnectingOneDeviceLeavesTheOthersOpen() {
        String user = unique("dc-device");
        WsClient laptop = CLUSTER.connect(nodeA, user, "laptop", "Laptop");
        WsClient phone = CLUSTER.connect(nodeB, user, "phone", "Phone");
        Answer answer = apiB.post("/api/v1/disconnect", Map.of("userId", user, "deviceId", "phone"));
        assertThat(answer.json().size(), is(1));
        assertThat(answer.json().get(0).path("result").asText(), is("closed"));
        assertThat(phone.awaitClose(WAIT).code(), is(4403));
        Poll.pause(QUIET);
        assertThat(laptop.isClosed(), is(false));
    }

    @Test
    void disconnectRefusesUnknownSocketsAndBadBodies() {
        Answer unknown = apiA.post("/api/v1/disconnect", Map.of("socketId", "no-such-socket"));
        assertThat(unknown.toString(), unknown.status(), is(404));
        assertThat(unknown.json().path("error").asText(), is("not_found"));
        assertThat(apiB.post("/api/v1/disconnect", Map.of("userId", unique("nobody"))).status(), is(404));
        assertValidation(apiA.post("/api/v1/disconnect", Map.of()), "socketId");
        assertValidation(apiA.post("/api/v1/disconnect", Map.of("socketId", "s", "userId", "u")), "socketId");
        assertValidation(apiA.post("/api/v1/disconnect", Map.of("socketId", "s", "deviceId", "d")), "deviceId");
        assertValidation(apiA.post("/api/v1/disconnect", Map.of("userId", "u", "reason", "r".repeat(124))), "reason");
        assertValidation(apiA.post("/api/v1/disconnect", Map.of("userId", "u", "timeoutMs", -1)), "timeoutMs");
        assertValidation(apiA.post("/api/v1/disconnect", Map.of("userId", "u", "timeoutMs", "soon")), "timeoutMs");
        assertValidation(apiA.post("/api/v1/disconnect", Map.of("userId", "bad id")), "userId");
    }

    @Test
    void everyRequestIsLoggedOnceWithoutTheKey() {
        String user = unique("logged");
        apiA.get("/api/v1/users/" + user + "/presence");
        String path = "path=/api/v1/users/" + user + "/presence ";
        String line = nodeA.awaitOutput("event=api method=GET " + path + "status=200", WAIT);
        assertThat(line, containsString("ms="));
        Poll.pause(Duration.ofMillis(200));
        assertThat(nodeA.output().stream().filter(l -> l.contains(path)).count(), is(1L));
        assertThat(nodeB.output().stream().filter(l -> l.contains(path)).count(), is(0L));
        assertThat(nodeA.output().stream().filter(l -> l.contains(ApiClient.KEY)).toList(), is(empty()));
        assertThat(nodeB.output().stream().filter(l -> l.contains(ApiClient.KEY)).toList(), is(empty()));
    }
}
