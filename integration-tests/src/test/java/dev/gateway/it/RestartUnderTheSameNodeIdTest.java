package dev.gateway.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gateway.it.support.GatewayCluster;
import dev.gateway.it.support.GatewayCtl;
import dev.gateway.it.support.GatewayProcess;
import dev.gateway.it.support.GatewayRecords;
import dev.gateway.it.support.WsClient;
import dev.gateway.testsupport.Poll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

/**
 * PROTOCOL section 6, version 2: a node killed with {@code kill -9} and restarted at once under the same
 * {@code GATEWAY_NODE_ID} (what a supervisor does) removes the sockets its previous process left before it accepts
 * connections. Its {@code ws:node} record is given a TTL that outlives the restart, so no other node takes it for dead:
 * only the restarted node can notice, and it must. Their users go offline {@code expired}, one event per user at a
 * watcher on another node, and {@code chat:user-left} follows for the chats they had joined.
 */
class RestartUnderTheSameNodeIdTest {
    private static final String NODE = "restarting";
    private static final Map<String, String> NODE_ENV = Map.of("NODE_TTL_SECONDS", "60");
    private static final int SOCKETS = 20;
    private static final Duration EVENT = Duration.ofSeconds(10);
    private static final Duration QUIET = Duration.ofSeconds(1);

    @RegisterExtension
    static final GatewayCluster CLUSTER = GatewayCluster.onRedis();

    private final GatewayRecords records = CLUSTER.records();

    @Test
    void aNodeRestartedUnderTheSameIdAfterKill9RemovesEveryDeadSocketAndItsUsersGoOfflineOnce() throws Exception {
        GatewayProcess watcherNode = CLUSTER.start("restart-watcher", Map.of());
        GatewayProcess node = CLUSTER.start(NODE, NODE_ENV);
        List<String> users = new ArrayList<>();
        for (int i = 0; i < SOCKETS; i++) {
            users.add("ghost:" + i);
        }
        WsClient watcher = CLUSTER.connect(watcherNode, "watcher");
        watcher.subscribe(users.toArray(String[]::new));
        join(watcher, "haunted:room");
        List<WsClient> sockets = connectAll(node, users);
        for (WsClient socket : sockets.subList(0, 5)) {
            join(socket, "haunted:room");
        }
        for (String user : users) {
            watcher.awaitEvent("presence:online", e -> e.path("userId").asText().equals(user), EVENT);
        }
        Poll.eventually("sockets of " + NODE, () -> records.nodeSockets(NODE), hasSize(SOCKETS));

        node.kill();
        GatewayProcess restarted = CLUSTER.start(NODE, NODE_ENV);

        for (String user : users) {
            JsonNode offline = watcher.awaitEvent("presence:offline", e -> e.path("userId").asText().equals(user), EVENT);
            assertThat(offline.toString(), offline.path("reason").asText(), is("expired"));
        }
        for (int i = 0; i < 5; i++) {
            JsonNode left = watcher.awaitEvent("chat:user-left", EVENT);
            assertThat(left.toString(), left.path("chatId").asText(), is("haunted:room"));
        }
        watcher.assertNoEvent("presence:offline", QUIET);
        watcher.assertNoEvent("chat:user-left", Duration.ZERO);

        assertThat(records.connectionIds(), is(Set.of(watcher.socketId())));
        assertThat(records.nodeSockets(NODE), is(empty()));
        assertThat(records.onlineUsers(), is(Set.of("watcher")));
        for (String user : users) {
            assertThat(user, records.keysOfUser(user), is(empty()));
        }
        assertThat(CLUSTER.redis().scan("ws:connection-chats:*"), hasSize(1));
        assertThat(CLUSTER.redis().client().hkeys("chat:haunted%3Aroom:users"), is(Set.of("watcher")));

        GatewayCtl.Result listed = GatewayCtl.jar(CLUSTER.redis()).run("connections", "--node", NODE, "-o", "json");
        assertThat(listed.toString(), listed.exitCode(), is(1));
        assertThat(listed.toString(), listed.json().size(), is(0));

        WsClient newcomer = CLUSTER.connect(restarted, "newcomer");
        Poll.eventually("sockets of the restarted " + NODE, () -> records.nodeSockets(NODE), is(Set.of(newcomer.socketId())));
    }

    private List<WsClient> connectAll(GatewayProcess node, List<String> users) throws Exception {
        List<WsClient> sockets = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<WsClient>> opening = new ArrayList<>();
            for (String user : users) {
                opening.add(pool.submit(() -> CLUSTER.connect(node, user)));
            }
            for (Future<WsClient> socket : opening) {
                sockets.add(socket.get(10, TimeUnit.SECONDS));
            }
        }
        return sockets;
    }

    private static void join(WsClient client, String chatId) {
        JsonNode ack = client.request("chat:join", Map.of("chatId", chatId));
        assertThat(client + " joins " + chatId + ": " + ack, ack.path("success").asBoolean(), is(true));
    }
}
