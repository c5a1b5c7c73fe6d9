package dev.gateway.it.chat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gateway.it.support.WsClient;
import dev.gateway.testsupport.Poll;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

/**
 * Senders that keep sending to one chat at a steady rate, each on its own thread, without waiting for acks; then
 * every ack is collected, and every member is checked to have received every {@code ACCEPTED} message exactly once
 * and in stream order.
 */
final class ChatLoad {
    private final String chatId;
    private final List<WsClient> senders;
    private final int perSenderPerSecond;
    private final AtomicBoolean sending = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();
    private final Map<WsClient, Map<Long, String>> sent = new LinkedHashMap<>();
    private final List<String> accepted = new ArrayList<>();
    private int failed;

    ChatLoad(String chatId, List<WsClient> senders, int perSenderPerSecond) {
        this.chatId = chatId;
        this.senders = senders;
        this.perSenderPerSecond = perSenderPerSecond;
    }

    void start() {
        sending.set(true);
        for (WsClient sender : senders) {
            Map<Long, String> acks = new LinkedHashMap<>();
            sent.put(sender, acks);
            threads.add(Thread.ofVirtual().name("send-" + sender).start(() -> send(sender, acks)));
        }
    }

    /** Stops sending and collects every ack (an ack comes within the Redis timeout even while Redis is away). */
    void stop() {
        sending.set(false);
        for (Thread thread : threads) {
            try {
                thread.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        sent.forEach((sender, acks) -> acks.forEach((ackId, clientMsgId) -> {
            JsonNode ack = sender.awaitAck(ackId, Duration.ofSeconds(10));
            if ("ACCEPTED".equals(ack.path("status").asText())) {
                accepted.add(ack.path("messageId").asText());
            } else {
                failed++;
            }
        }));
    }

    List<String> accepted() {
        return accepted;
    }

    int failed() {
        return failed;
    }

    /**
     * Waits until the member received every accepted message, then checks that it received none twice and all in
     * stream order.
     */
    void assertEveryAcceptedMessageReachedOnceInOrder(WsClient member) {
        Poll.eventually(member + " received every accepted message", () -> missing(member), is(empty()));
        List<String> ids = Chats.messageIds(member, chatId);
        List<String> duplicates = new ArrayList<>(ids);
        for (String id : new HashSet<>(ids)) {
            duplicates.remove(id);
        }
        assertThat(member + " received messages twice", duplicates, is(empty()));
        assertThat(member + " received messages out of stream order", ids, is(Chats.sortedByStreamId(ids)));
    }

    /** When the member received its first chat message after {@code after}, if it did. */
    Instant firstReceivedAfter(WsClient member, Instant after) {
        return member.frames().stream()
                .filter(f -> "chat:message".equals(f.event()) && f.receivedAt().isAfter(after))
                .map(WsClient.Frame::receivedAt)
                .findFirst()
                .orElseThrow(() -> new AssertionError(member + " received nothing after " + after));
    }

    private List<String> missing(WsClient member) {
        Set<String> received = new HashSet<>(Chats.messageIds(member, chatId));
        return accepted.stream().filter(id -> !received.contains(id)).toList();
    }

    private void send(WsClient sender, Map<Long, String> acks) {
        long intervalNanos = 1_000_000_000L / perSenderPerSecond;
        long next = System.nanoTime();
        int n = 0;
        while (sending.get()) {
            long ackId = sender.nextAckId();
            String clientMsgId = sender + "-" + n++;
            synchronized (acks) {
                acks.put(ackId, clientMsgId);
            }
            sender.send("chat:send", Chats.message(chatId, "message " + clientMsgId, clientMsgId), ackId);
            next += intervalNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Poll.pause(Duration.ofNanos(wait));
            }
        }
    }
}
