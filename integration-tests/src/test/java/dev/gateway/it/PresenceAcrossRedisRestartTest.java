package dev.gateway.it;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gateway.it.support.GatewayProcess;
import dev.gateway.it.support.Gateways;
import dev.gateway.it.support.RedisProcess;
import dev.gateway.it.support.WsClient;
import dev.gateway.testsupport.Poll;
import dev.gateway.testsupport.Tokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * Issue 7 item 6 (PROTOCOL section 5: one presence event per transition): two nodes with 200 users who stay
 * connected and keep pinging, and a watcher subscribed to all of them, across a Redis restart with an empty keyspace,
 * a restart that reloads its AOF, and a kill with an immediate restart. The watcher hears nothing about the users who
 * stayed, exactly one {@code presence:offline} for a user who left during the outage and one {@code presence:online}
 * for one who came afterwards; Redis lists every live user online again; new handshakes and chat work again at once.
 */
class PresenceAcrossRedisRestartTest {
    private static final int USERS = 200;
    private static final Pattern RECOVERED = Pattern.compile("event=redis-recovered restarted=(\\w+) sockets=(\\d+) .* millis=(\\d+)");

    private RedisProcess redis;
    // not a GatewayCluster: each test chooses its own redis-server (with or without an AOF) and restarts it
    @RegisterExtension
    final Gateways gateways = new Gateways(() -> redis.url());

    @AfterEach
    void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void aRestartThatLostEveryKeyAnnouncesOnlyRealTransitions() {
        redis = RedisProcess.server();
        scenario("empty restart", Duration.ofSeconds(2));
    }

    @Test
    void aRestartThatReloadedItsAofAnnouncesOnlyRealTransitions() {
        redis = RedisProcess.server("--appendonly", "yes", "--appendfsync", "always");
        scenario("AOF restart", Duration.ofSeconds(2));
    }

    @Test
    void aShortOutageAnnouncesOnlyRealTransitionsAndServesAgainAtOnce() {
        redis = RedisProcess.server("--appendonly", "yes", "--appendfsync", "always");
        scenario("0.1 s outage", Duration.ofMillis(100));
    }

    private void scenario(String fault, Duration outage) {
        List<GatewayProcess> nodes = List.of(gateways.start("presence-a", Map.of()), gateways.start("presence-b", Map.of()));
        List<String> users = new ArrayList<>();
        List<WsClient> sockets = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            String user = "user-" + i;
            users.add(user);
            sockets.add(gateways.connect(nodes.get(i % 2), user).keepPinging(Duration.ofMillis(500)));
        }
        WsClient leaver = gateways.connect(nodes.get(1), "leaver").keepPinging(Duration.ofMillis(500));
        WsClient watcher = gateways.connect(nodes.get(0), "watcher").keepPinging(Duration.ofMillis(500));
        List<String> watched = new ArrayList<>(users);
        watched.addAll(List.of("leaver", "newcomer"));
        watcher.subscribe(watched.toArray(String[]::new));
        assertThat(watcher.request("chat:join", Map.of("chatId", "presence-chat")).path("success").asBoolean(), is(true));
        Poll.eventually("every user online in Redis", () -> online().containsAll(watched.subList(0, USERS + 1)), is(true));
        int eventsBefore = presenceEvents(watcher).size();

        redis.kill();
        Poll.pause(outage.dividedBy(2));
        leaver.closeNormally();
        Poll.pause(outage.dividedBy(2));
        redis.restart();
        Instant answering = Instant.now();
        Duration handshake = untilHandshakeSucceeds(nodes.get(1), answering);
        Duration send = untilSendIsAccepted(watcher, answering);
        gateways.connect(nodes.get(1), "newcomer");

        watcher.awaitEvent("presence:online", data -> "newcomer".equals(data.path("userId").asText()), Duration.ofSeconds(10));
        watcher.awaitEvent("presence:offline", data -> "leaver".equals(data.path("userId").asText()), Duration.ofSeconds(10));
        Poll.pause(Duration.ofSeconds(3)); // the nodes' grace for the other node's sockets, and a few ping flushes more
        List<JsonNode> events = presenceEvents(watcher).subList(eventsBefore, presenceEvents(watcher).size());

        Map<String, Long> online = count(events, "presence:online");
        Map<String, Long> offline = count(events, "presence:offline");
        assertThat(fault + ": presence:online events " + online, online, is(Map.of("newcomer", 1L)));
        assertThat(fault + ": presence:offline events " + offline, offline, is(Map.of("leaver", 1L)));
        Poll.eventually("every live user online in Redis", this::online, hasItems(users.toArray(String[]::new)));
        assertThat(online(), not(hasItems("leaver")));
        assertThat("sockets closed by the outage",
                   sockets.stream().filter(WsClient::isClosed).map(WsClient::toString).toList(), is(empty()));
        System.out.printf("%s: first handshake %d ms and first accepted chat:send %d ms after Redis answered; %s%n",
                          fault, handshake.toMillis(), send.toMillis(), recoveries(nodes));
    }

    private Duration untilHandshakeSucceeds(GatewayProcess node, Instant answering) {
        Poll.eventually("a handshake succeeds", () -> {
            try {
                WsClient client = gateways.open(WsClient.to(node).bearer(Tokens.forUser("probe")).name("probe"));
                // refused (503), or closed 1011 when the registration failed after the upgrade, or connected
                Poll.eventually("the probe connected or closed", () -> client.isClosed() || !client.received("connected").isEmpty(),
                                is(true), Duration.ofSeconds(5));
                boolean connected = !client.received("connected").isEmpty();
                client.abort();
                return connected;
            } catch (AssertionError | RuntimeException e) {
                return false;
            }
        }, is(true));
        return Duration.between(answering, Instant.now());
    }

    private static Duration untilSendIsAccepted(WsClient client, Instant answering) {
        int[] n = {0};
        Poll.eventually("a chat:send is accepted", () -> client.request("chat:send", Map.of(
                "chatId", "presence-chat", "content", "hello", "clientMsgId", "after-" + n[0]++)).path("status").asText(), is("ACCEPTED"));
        return Duration.between(answering, Instant.now());
    }

    private static List<JsonNode> presenceEvents(WsClient watcher) {
        return watcher.frames().stream()
                .filter(f -> f.event().startsWith("presence:online") || f.event().startsWith("presence:offline"))
                .map(f -> f.json())
                .toList();
    }

    private static Map<String, Long> count(List<JsonNode> events, String event) {
        return events.stream().filter(e -> event.equals(e.path("event").asText()))
                .collect(Collectors.groupingBy(e -> e.path("data").path("userId").asText(), Collectors.counting()));
    }

    private Set<String> online() {
        try (Jedis jedis = redis.connect()) {
            return Set.copyOf(jedis.zrange("presence:online", 0, -1));
        }
    }

    private static String recoveries(List<GatewayProcess> nodes) {
        StringBuilder out = new StringBuilder();
        for (GatewayProcess node : nodes) {
            for (String line : node.output()) {
                Matcher matcher = RECOVERED.matcher(line);
                if (matcher.find()) {
                    out.append(node.nodeId()).append(" re-registered ").append(matcher.group(2)).append(" sockets (restarted=")
                            .append(matcher.group(1)).append(") in ").append(matcher.group(3)).append(" ms; ");
                }
            }
        }
        return out.toString();
    }
}
