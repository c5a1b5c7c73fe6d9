package dev.gateway.it.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.gateway.it.support.GatewayCluster;
import dev.gateway.it.support.GatewayProcess;
import dev.gateway.it.support.GatewayRecords;
import dev.gateway.it.support.WsClient;
import dev.gateway.testsupport.Poll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.gateway.it.chat.Chats.awaitMessageIds;
import static dev.gateway.it.chat.Chats.join;
import static dev.gateway.it.chat.Chats.messageIds;
import static dev.gateway.it.chat.Chats.sendAccepted;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

/**
 * PROTOCOL section 4, delivery: a socket whose outbound queue overflows ({@code OUTBOUND_QUEUE_FRAMES=64} here) is
 * closed with 4503 and never slows the other members, who still receive every message. The slow client is a JDK
 * WebSocket that stops requesting frames, so the server's writes back up through both TCP buffers into its queue;
 * messages of 4,000 characters fill those buffers quickly.
 * <p>
 * The healthy members are kept healthy on a loaded machine: the sender waits, every few messages, until they are
 * at most {@value #WINDOW} messages behind, so that a pause of the test JVM never makes them overflow a queue of
 * 64 too. The slow client has no such window.
 */
class ChatSlowConsumerTest {
    private static final String CHAT = "slow";
    private static final String LARGE = "x".repeat(3990);
    /** Bound on what the test sends before the slow socket must have been closed (about 40 MB of deliveries). */
    private static final int MOST_MESSAGES = 10_000;
    private static final int AFTER_CLOSE = 50;
    /** How far behind the sender the healthy members may fall (well under the queue of 64). */
    private static final int WINDOW = 16;
    private static final Duration EVENT = Duration.ofSeconds(10);

    @RegisterExtension
    static final GatewayCluster CLUSTER = GatewayCluster.onRedis();

    @Test
    void aClientThatStopsReadingIsClosedWith4503WhileEveryOtherMemberReceivesEverything() {
        List<GatewayProcess> nodes = Chats.startNodes(CLUSTER.gateways(), Map.of("OUTBOUND_QUEUE_FRAMES", "64",
                                                                       "RATE_LIMIT_PER_SECOND", "10000"),
                                                      "slow-a", "slow-b");
        GatewayProcess nodeA = nodes.get(0);
        WsClient sender = CLUSTER.connect(nodeA, "alice");
        WsClient slow = CLUSTER.connect(nodeA, "sloth");
        WsClient readerA = CLUSTER.connect(nodeA, "bob");
        WsClient readerB = CLUSTER.connect(nodes.get(1), "carol");
        for (WsClient member : List.of(sender, slow, readerA, readerB)) {
            join(member, CHAT);
        }
        String slowSocket = slow.socketId();
        GatewayRecords records = CLUSTER.records();
        assertThat(records.connection(slowSocket).isPresent(), is(true));

        slow.pauseReading();
        List<String> accepted = new ArrayList<>();
        while (!slowConsumerLogged(nodeA, slowSocket)) {
            assertThat("messages sent without the slow socket being closed", accepted.size(), lessThan(MOST_MESSAGES));
            accepted.add(sendAccepted(sender, CHAT, accepted.size() + " " + LARGE, "s-" + accepted.size()));
            keepWithinWindow(accepted.size(), sender, readerA, readerB);
        }
        int beforeClose = accepted.size();
        for (int i = 0; i < AFTER_CLOSE; i++) {
            accepted.add(sendAccepted(sender, CHAT, accepted.size() + " " + LARGE, "s-" + accepted.size()));
            keepWithinWindow(accepted.size(), sender, readerA, readerB);
        }

        for (WsClient member : List.of(sender, readerA, readerB)) {
            awaitMessageIds(member, CHAT, accepted.size(), EVENT);
            assertThat(member + " received every message, in order", messageIds(member, CHAT), is(accepted));
        }
        Poll.eventually("the slow socket's ws:connection record", () -> records.connection(slowSocket).isPresent(), is(false));
        slow.resumeReading();
        WsClient.Close close = slow.awaitClose(EVENT);
        List<String> slowGot = messageIds(slow, CHAT);

        String logged = nodeA.awaitOutput("socket=" + slowSocket + ".*reason=slow-consumer code=4503", EVENT);
        System.out.printf("slow consumer closed after %d messages of %d chars; it had read %d; %s%n", beforeClose,
                          LARGE.length(), slowGot.size(), logged);
        assertThat("what the slow socket got is the start of the sequence", slowGot,
                   is(accepted.subList(0, slowGot.size())));
        assertThat(close.toString(), close.code(), is(4503));
    }

    private static void keepWithinWindow(int sent, WsClient... healthy) {
        if (sent % (WINDOW / 2) == 0) {
            for (WsClient member : healthy) {
                awaitMessageIds(member, CHAT, sent - WINDOW, EVENT);
            }
        }
    }

    private static boolean slowConsumerLogged(GatewayProcess node, String socketId) {
        return node.output().stream()
                .anyMatch(line -> line.contains("socket=" + socketId) && line.contains("reason=slow-consumer code=4503"));
    }
}
