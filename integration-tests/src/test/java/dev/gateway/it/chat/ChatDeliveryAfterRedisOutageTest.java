package dev.gateway.it.chat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.gateway.it.support.GatewayProcess;
import dev.gateway.it.support.Gateways;
import dev.gateway.it.support.RedisProcess;
import dev.gateway.it.support.WsClient;
import dev.gateway.testsupport.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

import static dev.gateway.it.chat.Chats.join;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

/**
 * Issue 7 item 1, PROTOCOL section 4 "Delivery after a Redis outage": two nodes, a receiver and a sender on each,
 * senders at about 200 messages/s in all; Redis goes away and comes back while they send. Every {@code ACCEPTED}
 * message reaches every member whose socket stayed open (senders included), exactly once and in stream order,
 * whether Redis was killed and restarted (AOF on), frozen (SIGSTOP, longer than the subscriber's read timeout) or
 * only the nodes' pub/sub connections were dropped. Each test prints the time from Redis answering again to the
 * first delivery, and how many messages the nodes caught up from the stream.
 */
class ChatDeliveryAfterRedisOutageTest {
    private static final String CHAT = "outage-load";
    private static final int PER_SENDER_PER_SECOND = 100;
    private static final Pattern CAUGHT_UP = Pattern.compile("event=rooms-caught-up rooms=(\\d+) messages=(\\d+) millis=(\\d+)");

    private RedisProcess redis;
    // not a GatewayCluster: each test runs a real redis-server with an AOF (RedisProcess) that it kills and restarts
    @RegisterExtension
    final Gateways gateways = new Gateways(() -> redis.url());

    private List<GatewayProcess> nodes;
    private List<WsClient> members;
    private ChatLoad load;

    @BeforeEach
    void startRedisNodesAndClients() {
        redis = RedisProcess.server("--appendonly", "yes", "--appendfsync", "everysec");
        nodes = Chats.startNodes(gateways, Gateways.env("RATE_LIMIT_PER_SECOND", "1000"), "outage-a", "outage-b");
        WsClient receiverA = gateways.connect(nodes.get(0), "receiver-a");
        WsClient receiverB = gateways.connect(nodes.get(1), "receiver-b");
        WsClient senderA = gateways.connect(nodes.get(0), "sender-a");
        WsClient senderB = gateways.connect(nodes.get(1), "sender-b");
        members = List.of(receiverA, receiverB, senderA, senderB);
        members.forEach(member -> join(member, CHAT));
        load = new ChatLoad(CHAT, List.of(senderA, senderB), PER_SENDER_PER_SECOND);
    }

    @AfterEach
    void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void everyAcceptedMessageReachesEveryOpenMemberOnceInOrderAcrossAKillAndRestartOfRedisWithAof() {
        load.start();
        Poll.pause(Duration.ofMillis(1500));
        redis.kill();
        Poll.pause(Duration.ofSeconds(2));
        redis.restart();
        Instant answering = Instant.now();
        Poll.pause(Duration.ofSeconds(3));
        load.stop();

        assertDeliveredAndReport("kill -9 + restart", answering);
    }

    @Test
    void everyAcceptedMessageReachesEveryOpenMemberOnceInOrderAcrossAFrozenRedis() {
        load.start();
        Poll.pause(Duration.ofMillis(1500));
        redis.pause();
        // longer than the subscriber's read timeout (6 s): its connection is given up and made anew
        Poll.pause(Duration.ofSeconds(7));
        redis.resume();
        Instant answering = Instant.now();
        Poll.pause(Duration.ofSeconds(3));
        load.stop();

        assertDeliveredAndReport("SIGSTOP 7 s + SIGCONT", answering);
    }

    @Test
    void everyAcceptedMessageReachesEveryOpenMemberOnceInOrderWhenOnlyThePubSubConnectionsDrop() {
        load.start();
        Poll.pause(Duration.ofMillis(1500));
        Instant answering = Instant.now();
        try (Jedis jedis = redis.connect()) {
            jedis.clientKill(ClientKillParams.clientKillParams().type(ClientType.PUBSUB));
        }
        Poll.pause(Duration.ofSeconds(2));
        load.stop();

        assertDeliveredAndReport("CLIENT KILL TYPE pubsub", answering);
    }

    private void assertDeliveredAndReport(String fault, Instant answering) {
        assertThat("messages accepted", load.accepted().size(), greaterThan(0));
        for (WsClient member : members) {
            load.assertEveryAcceptedMessageReachedOnceInOrder(member);
            assertThat(member + " is still open", member.isClosed(), is(false));
        }
        long firstDeliveryMillis = members.stream()
                .mapToLong(m -> Duration.between(answering, load.firstReceivedAfter(m, answering)).toMillis())
                .min().orElseThrow();
        System.out.printf("%s: %d accepted, %d failed; first delivery %d ms after Redis answered again; caught up from the "
                                  + "stream: %s%n",
                          fault, load.accepted().size(), load.failed(), firstDeliveryMillis, caughtUp());
    }

    private String caughtUp() {
        StringBuilder out = new StringBuilder();
        for (GatewayProcess node : nodes) {
            long messages = 0;
            long millis = 0;
            for (String line : node.output()) {
                Matcher matcher = CAUGHT_UP.matcher(line);
                if (matcher.find()) {
                    messages += Long.parseLong(matcher.group(2));
                    millis = Math.max(millis, Long.parseLong(matcher.group(3)));
                }
            }
            out.append(node.nodeId()).append(' ').append(messages).append(" messages (longest catch-up ").append(millis)
                    .append(" ms); ");
        }
        return out.toString();
    }
}
