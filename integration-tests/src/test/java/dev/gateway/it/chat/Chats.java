package dev.gateway.it.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gateway.it.support.GatewayProcess;
import dev.gateway.it.support.GatewayRecords;
import dev.gateway.it.support.Gateways;
import dev.gateway.it.support.WsClient;
import dev.gateway.testsupport.Poll;
import dev.gateway.testsupport.TestRedis;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

/**
 * The chat events of PROTOCOL section 4 as one-line steps for the scenarios: join, send, and what a client has
 * received in a chat. Each step waits at most as long as its ack or event may take (bounded, 10 s or less).
 */
final class Chats {
    /** Stream ids ({@code ms-seq}) in the order Redis gives them: by time, then by sequence, numerically. */
    static final Comparator<String> STREAM_ORDER = Comparator.comparingLong((String id) -> part(id, 0))
            .thenComparingLong(id -> part(id, 1));

    private Chats() {
    }

    /** Starts several nodes at once (each JVM takes seconds to start; two cores start two in about the time of one). */
    static List<GatewayProcess> startNodes(Gateways gateways, Map<String, String> env, String... nodeIds) {
        return concurrently(Arrays.stream(nodeIds).<Supplier<GatewayProcess>>map(id -> () -> gateways.start(id, env)).toList());
    }

    /** Runs each task on its own thread, all at once, and returns their results in order (failing if one failed). */
    static <T> List<T> concurrently(List<Supplier<T>> tasks) {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<T>> running = tasks.stream()
                    .map(task -> CompletableFuture.supplyAsync(task, threads))
                    .toList();
            return running.stream().map(CompletableFuture::join).toList();
        }
    }

    /**
     * Waits until every node has rewritten its {@code ws:node} record since {@link TestRedis} emptied Redis before the
     * test. Nodes that serve a whole class see their records vanish at each flush; a socket registered before its
     * node's next heartbeat lists the node in {@code ws:nodes} without a record, and the other node would then reap
     * that live socket as belonging to a dead node.
     */
    static void awaitHeartbeats(TestRedis redis, List<GatewayProcess> nodes) {
        GatewayRecords records = GatewayRecords.of(redis);
        for (GatewayProcess node : nodes) {
            Poll.eventually(node.nodeId() + "'s ws:node record after the flush", () -> records.node(node.nodeId()).isPresent(),
                            is(true));
        }
    }

    /** {@code chat:join}; fails unless the ack says success. */
    static JsonNode join(WsClient client, String chatId) {
        JsonNode ack = client.request("chat:join", Map.of("chatId", chatId));
        assertThat(client + " joins " + chatId + ": " + ack, ack.path("success").asBoolean(), is(true));
        return ack;
    }

    /** {@code chat:send} with a clientMsgId; returns the ack's data, whatever it says. */
    static JsonNode send(WsClient client, String chatId, String content, String clientMsgId) {
        return client.request("chat:send", message(chatId, content, clientMsgId));
    }

    /** {@code chat:send}; fails unless the message was accepted, and returns its messageId. */
    static String sendAccepted(WsClient client, String chatId, String content, String clientMsgId) {
        JsonNode ack = send(client, chatId, content, clientMsgId);
        assertThat(client + " sends " + clientMsgId + ": " + ack, ack.path("status").asText(), is("ACCEPTED"));
        return ack.path("messageId").asText();
    }

    /**
     * Sends {@code count} messages ({@code prefix 0}, {@code prefix 1}, ...) without waiting between them, then waits
     * for every ack; fails unless all were accepted, and returns their messageIds in sending order.
     */
    static List<String> sendMany(WsClient client, String chatId, String prefix, int count) {
        List<Long> ackIds = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long ackId = client.nextAckId();
            client.send("chat:send", message(chatId, prefix + " " + i, prefix + "-" + i), ackId);
            ackIds.add(ackId);
        }
        List<String> ids = new ArrayList<>();
        for (long ackId : ackIds) {
            JsonNode ack = client.awaitAck(ackId, WsClient.ACK_TIMEOUT);
            assertThat(client + " sends: " + ack, ack.path("status").asText(), is("ACCEPTED"));
            ids.add(ack.path("messageId").asText());
        }
        return ids;
    }

    /** The data of a {@code chat:send} with a clientMsgId. */
    static Map<String, Object> message(String chatId, String content, String clientMsgId) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("chatId", chatId);
        data.put("content", content);
        data.put("clientMsgId", clientMsgId);
        return data;
    }

    /** Every {@code chat:message} of the chat that the client received so far, in order, taken or not. */
    static List<JsonNode> messages(WsClient client, String chatId) {
        return client.received("chat:message").stream()
                .filter(m -> chatId.equals(m.path("chatId").asText()))
                .toList();
    }

    /** The ids of {@link #messages}. */
    static List<String> messageIds(WsClient client, String chatId) {
        return messages(client, chatId).stream().map(m -> m.path("id").asText()).toList();
    }

    /** Waits (at most {@code timeout}) until the client received at least {@code count} messages of the chat. */
    static List<String> awaitMessageIds(WsClient client, String chatId, int count, Duration timeout) {
        Supplier<Integer> received = () -> messages(client, chatId).size();
        Poll.eventually(client + "'s chat:message count in " + chatId, received, greaterThanOrEqualTo(count), timeout);
        return messageIds(client, chatId);
    }

    /** The ids sorted in stream order. */
    static List<String> sortedByStreamId(List<String> ids) {
        return ids.stream().sorted(STREAM_ORDER).toList();
    }

    private static long part(String streamId, int index) {
        String[] parts = streamId.split("-", -1);
        if (parts.length != 2) {
            throw new AssertionError("not a stream id: " + streamId);
        }
        return Long.parseLong(parts[index]);
    }
}
