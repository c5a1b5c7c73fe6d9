package dev.gateway.it.chat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gateway.it.support.GatewayCluster;
import dev.gateway.it.support.GatewayProcess;
import dev.gateway.it.support.WsClient;
import dev.gateway.testsupport.Poll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.gateway.it.chat.Chats.awaitMessageIds;
import static dev.gateway.it.chat.Chats.join;
import static dev.gateway.it.chat.Chats.send;
import static dev.gateway.it.chat.Chats.sendAccepted;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;

/**
 * Issue 3, "Redis stopped during chat:send": a message that cannot be stored is acked {@code FAILED} promptly with a
 * clear error and delivered to nobody, the node keeps running, and once Redis is back (same port, empty) the room
 * works again, across both nodes, without restarting anything.
 */
class ChatRedisOutageTest {
    private static final String CHAT = "outage";
    private static final Duration EVENT = Duration.ofSeconds(5);
    /** The contract's "within a second or two", with room for a loaded machine. */
    private static final Duration FAILED_WITHIN = Duration.ofSeconds(5);

    @RegisterExtension
    static final GatewayCluster CLUSTER = GatewayCluster.onRedis();

    @Test
    void aSendWhileRedisIsDownFailsPromptlyAndTheRoomWorksAgainOnceRedisIsBack() {
        List<GatewayProcess> nodes = Chats.startNodes(CLUSTER.gateways(), Map.of(), "outage-a", "outage-b");
        WsClient alice = CLUSTER.connect(nodes.get(0), "alice");
        WsClient bob = CLUSTER.connect(nodes.get(1), "bob");
        join(alice, CHAT);
        join(bob, CHAT);
        String before = sendAccepted(alice, CHAT, "before the outage", "o-1");
        awaitMessageIds(bob, CHAT, 1, EVENT);

        CLUSTER.redis().stop();
        JsonNode failedAtOnce = timedSend(alice, "the moment Redis stopped", "o-2");
        Poll.eventually("health once the node noticed", nodes.get(0)::health, is(503));
        JsonNode failedLater = timedSend(alice, "while Redis is known to be down", "o-3");

        for (JsonNode failed : List.of(failedAtOnce, failedLater)) {
            assertThat(failed.toString(), failed.path("success").asBoolean(), is(false));
            assertThat(failed.toString(), failed.path("status").asText(), is("FAILED"));
            assertThat(failed.toString(), failed.path("error").path("code").asText(), not(emptyOrNullString()));
            assertThat(failed.toString(), failed.path("error").path("message").asText(), not(emptyOrNullString()));
        }
        assertThat(failedAtOnce.toString(), failedAtOnce.path("clientMsgId").asText(), is("o-2"));
        assertThat(failedLater.toString(), failedLater.path("clientMsgId").asText(), is("o-3"));
        assertThat(nodes.get(0).isAlive(), is(true));
        assertThat(nodes.get(1).isAlive(), is(true));

        CLUSTER.redis().start();
        for (GatewayProcess node : nodes) {
            Poll.eventually(node.nodeId() + " health after Redis returned", node::health, is(200));
        }
        Poll.eventually("nodes subscribed to the room's channel again", () -> CLUSTER.records().subscribers("gw:room:chat:" + CHAT),
                        is(2L));
        String after = sendAccepted(alice, CHAT, "after the outage", "o-4");

        assertThat(awaitMessageIds(bob, CHAT, 2, EVENT), is(List.of(before, after)));
        assertThat(awaitMessageIds(alice, CHAT, 2, EVENT), is(List.of(before, after)));
    }

    /** Sends and fails the test unless the ack comes within {@link #FAILED_WITHIN}. */
    private static JsonNode timedSend(WsClient client, String content, String clientMsgId) {
        long start = System.nanoTime();
        JsonNode ack = send(client, CHAT, content, clientMsgId);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.printf("ack of %s after %d ms: %s%n", clientMsgId, took.toMillis(), ack);
        assertThat("time to the ack of " + clientMsgId, took, lessThan(FAILED_WITHIN));
        return ack;
    }
}
