package dev.gateway.testsupport;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * Records what is published on some channels, through a real subscription (a {@link JedisPubSub} on its own thread).
 * <p>
 * {@link #published()} answers "what was published so far, exactly" without sleeping: it publishes a marker on every
 * recorded channel and reads until all markers came back. Redis delivers one connection's messages in publication
 * order, so everything published before the markers has arrived by then.
 */
public final class ChannelRecorder implements AutoCloseable {
    private static final long TIMEOUT_SECONDS = 10;

    private final LinkedBlockingQueue<Message> received = new LinkedBlockingQueue<>();
    private final CountDownLatch subscribed;
    private final List<String> channels;
    private final int port;
    private final JedisPubSub pubSub;
    private final Thread thread;

    /** One published message. */
    public record Message(String channel, String payload) {
    }

    private ChannelRecorder(int port, List<String> channels) {
        this.port = port;
        this.channels = channels;
        this.subscribed = new CountDownLatch(channels.size());
        this.pubSub = new JedisPubSub() {
            @Override
            public void onMessage(String channel, String message) {
                received.add(new Message(channel, message));
            }

            @Override
            public void onSubscribe(String channel, int subscribedChannels) {
                subscribed.countDown();
            }
        };
        this.thread = Thread.ofPlatform().daemon().name("channel-recorder").unstarted(() -> {
            try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                jedis.subscribe(pubSub, channels.toArray(String[]::new));
            }
        });
    }

    /** Subscribes to the channels of the Redis on {@code port} (127.0.0.1); returns once every subscription is confirmed. */
    public static ChannelRecorder start(int port, String... channels) {
        ChannelRecorder recorder = new ChannelRecorder(port, List.of(channels));
        recorder.thread.start();
        try {
            if (!recorder.subscribed.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("not subscribed to " + recorder.channels + " within " + TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return recorder;
    }

    /** Every message published on the recorded channels since the last call, in the order received. */
    public List<Message> published() {
        String marker = "marker-" + UUID.randomUUID();
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            for (String channel : channels) {
                jedis.publish(channel, marker);
            }
        }
        List<Message> messages = new ArrayList<>();
        Set<String> markedChannels = new HashSet<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (markedChannels.size() < channels.size()) {
            Message next;
            try {
                next = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            if (next == null) {
                throw new AssertionError("markers not received within " + TIMEOUT_SECONDS + " s; got " + messages);
            }
            if (next.payload().equals(marker)) {
                markedChannels.add(next.channel());
            } else {
                messages.add(next);
            }
        }
        return messages;
    }

    @Override
    public void close() throws InterruptedException {
        if (pubSub.isSubscribed()) {
            pubSub.unsubscribe();
        }
        thread.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
    }
}
