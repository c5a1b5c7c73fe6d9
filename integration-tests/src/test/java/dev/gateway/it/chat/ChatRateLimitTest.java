package dev.gateway.it.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gateway.it.support.GatewayCluster;
import dev.gateway.it.support.GatewayProcess;
import dev.gateway.it.support.WsClient;
import dev.gateway.testsupport.Poll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.gateway.it.chat.Chats.join;
import static dev.gateway.it.chat.Chats.messageIds;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

/**
 * PROTOCOL section 4, the per-socket rate limit, at {@code RATE_LIMIT_PER_SECOND=5} (bursts of 10): frames over it
 * get {@code RATE_LIMITED} and are not acted on, and a socket that keeps exceeding it for 10 consecutive seconds is
 * closed with 4429.
 */
class ChatRateLimitTest {
    private static final String CHAT = "flood";
    private static final int RATE = 5;
    private static final Duration EVENT = Duration.ofSeconds(5);

    @RegisterExtension
    static final GatewayCluster CLUSTER = GatewayCluster.nodes("rate-limit").env(Map.of("RATE_LIMIT_PER_SECOND", String.valueOf(RATE)));

    private static GatewayProcess node;

    @BeforeAll
    static void nameNodes() {
        node = CLUSTER.node("rate-limit");
    }

    @Test
    void aFloodingClientGetsRateLimitedAndOnlyTheAcceptedMessagesAreDelivered() {
        WsClient alice = CLUSTER.connect(node, "alice");
        WsClient bob = CLUSTER.connect(node, "bob");
        join(alice, CHAT);
        join(bob, CHAT);

        List<Long> ackIds = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            long ackId = alice.nextAckId();
            alice.send("chat:send", Chats.message(CHAT, "flood " + i, "f-" + i), ackId);
            ackIds.add(ackId);
        }
        List<String> accepted = new ArrayList<>();
        int limited = 0;
        for (long ackId : ackIds) {
            JsonNode ack = alice.awaitAck(ackId, EVENT);
            if (ack.path("success").asBoolean()) {
                accepted.add(ack.path("messageId").asText());
            } else {
                assertThat(ack.toString(), ack.path("error").path("code").asText(), is("RATE_LIMITED"));
                limited++;
            }
        }

        assertThat("refused frames", limited, greaterThan(0));
        assertThat("accepted frames (a burst of " + 2 * RATE + " after the join, plus refill)", accepted.size(),
                   lessThanOrEqualTo(2 * RATE + 2));
        Chats.awaitMessageIds(bob, CHAT, accepted.size(), EVENT);
        Poll.during("bob's chat:message ids", Duration.ofMillis(500), () -> messageIds(bob, CHAT), is(accepted));
        assertThat("alice is still connected", alice.isClosed(), is(false));
    }

    @Test
    void aRateLimitedSendIsAckedAsFailedWithItsClientMsgId() {
        WsClient alice = CLUSTER.connect(node, "alice");
        join(alice, CHAT);

        List<Long> ackIds = new ArrayList<>();
        for (int i = 0; i < 3 * RATE; i++) {
            long ackId = alice.nextAckId();
            alice.send("chat:send", Chats.message(CHAT, "flood " + i, "f-" + i), ackId);
            ackIds.add(ackId);
        }
        JsonNode refused = null;
        for (int i = 0; i < ackIds.size(); i++) {
            JsonNode ack = alice.awaitAck(ackIds.get(i), EVENT);
            if (!ack.path("success").asBoolean() && refused == null) {
                refused = ack;
                assertThat(ack.toString(), ack.path("clientMsgId").asText(), is("f-" + i));
            }
        }

        assertThat("a refused send among " + ackIds.size(), refused == null, is(false));
        assertThat(refused.toString(), refused.path("error").path("code").asText(), is("RATE_LIMITED"));
        assertThat(refused.toString(), refused.path("status").asText(), is("FAILED"));
    }

    @Test
    void aClientThatKeepsFloodingForTenSecondsIsClosedWith4429() {
        WsClient flooder = CLUSTER.connect(node, "mallory");
        long start = System.nanoTime();
        Thread flooding = Thread.ofVirtual().name("flooder").start(() -> {
            while (!flooder.isClosed() && !Thread.currentThread().isInterrupted()) {
                try {
                    flooder.send("presence:ping", Map.of());
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException | AssertionError e) {
                    return;
                }
            }
        });
        try {
            Poll.pause(Duration.ofSeconds(7));
            assertThat("still open after 7 s of flooding", flooder.isClosed(), is(false));
            assertThat("RATE_LIMITED errors so far", flooder.received("error").stream()
                    .filter(e -> e.path("code").asText().equals("RATE_LIMITED")).count(), greaterThan(0L));

            WsClient.Close close = flooder.awaitClose(Duration.ofSeconds(8));
            Duration flooded = Duration.ofNanos(System.nanoTime() - start);

            assertThat(close.toString(), close.code(), is(4429));
            // refusals in 10 consecutive whole seconds: the first and the last may be partial, so a little over 8 s at least
            assertThat("flooding time before the close", flooded, greaterThanOrEqualTo(Duration.ofSeconds(8)));
        } finally {
            flooding.interrupt();
        }
    }
}
